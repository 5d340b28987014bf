/** Random issue trees for the property tests: issues created through the service, some as children. */
import type { Beads } from "../../src/core/service.ts";

/**
 * Creates `count` issues titled n0, n1, ...; each becomes, with chance `childChance`, the child of
 * an earlier one (hierarchical IDs up to three levels). Returns their IDs in creation order.
 */
export function createRandomTree(b: Beads, count: number, rand: () => number, childChance: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const parent = ids.length && rand() < childChance ? ids[Math.floor(rand() * ids.length)] : undefined;
    ids.push(b.create({ title: `n${i}`, ...(parent && parent.split(".").length < 3 ? { parent } : {}) }).id);
  }
  return ids;
}
