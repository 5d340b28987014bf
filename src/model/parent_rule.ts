/**
 * The hierarchical-ID half of "parent of" (the store's parent_rule.ts has the whole rule): a child
 * made under P is named `P.N` (N a number), so `P.3`'s parent by ID is P and `P.3.1`'s is P.3. It
 * counts only for an issue that has no parent-child edge.
 */
const CHILD_ID = /^(.+)\.(\d+)$/;

/** The parent an ID names (`bd-a1.3` → `bd-a1`), or undefined for an ID that is not a child's. */
export function idPrefixParent(id: string): string | undefined {
  return CHILD_ID.exec(id)?.[1];
}
