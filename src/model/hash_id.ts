/** The hash-ID rule of the bd contract §7: sha256 of the content, base36, length by issue count. */
import { sha256 } from "./digest.ts";

/** Bytes of the digest used for each ID length 3..8. */
const BYTES_FOR_LENGTH: Record<number, number> = { 3: 2, 4: 3, 5: 4, 6: 4, 7: 5, 8: 5 };

/** Returns the base36 hash part (length L, 3..8) for the given content fields and nonce. */
export function hashPart(
  title: string,
  description: string,
  actor: string,
  createdAtNanos: bigint,
  nonce: number,
  length: number,
): string {
  const content = `${title}|${description}|${actor}|${createdAtNanos}|${nonce}`;
  const digest = sha256(content);
  let n = 0n;
  for (let i = 0; i < BYTES_FOR_LENGTH[length]; i++) n = (n << 8n) | BigInt(digest[i]);
  return n.toString(36).padStart(length, "0").slice(-length);
}

/** Returns the ID length for a workspace holding `topLevelCount` top-level issues. */
export function idLengthFor(topLevelCount: number): number {
  if (topLevelCount <= 163) return 3;
  if (topLevelCount <= 983) return 4;
  if (topLevelCount <= 5898) return 5;
  if (topLevelCount <= 35389) return 6;
  if (topLevelCount <= 212339) return 7;
  return 8;
}

/** Returns the epoch nanoseconds of an RFC 3339 timestamp (millisecond precision). */
export function toNanos(iso: string): bigint {
  return BigInt(Date.parse(iso)) * 1_000_000n;
}

/**
 * Returns a fresh hash ID `prefix-xxx`: tries nonces 0..9 at the start length, then longer
 * lengths, until `taken` says the ID is free.
 */
export function generateHashId(
  prefix: string,
  fields: { title: string; description: string; actor: string; createdAt: string },
  topLevelCount: number,
  taken: (id: string) => boolean,
): string {
  return hashIdFrom(prefix, fields, idLengthFor(topLevelCount), taken);
}

/** As generateHashId, from a given start length (3..8) rather than an issue count. */
export function hashIdFrom(
  prefix: string,
  fields: { title: string; description: string; actor: string; createdAt: string },
  startLength: number,
  taken: (id: string) => boolean,
): string {
  const nanos = toNanos(fields.createdAt);
  for (let length = Math.min(Math.max(startLength, 3), 8); length <= 8; length++) {
    for (let nonce = 0; nonce < 10; nonce++) {
      const id = `${prefix}-${hashPart(fields.title, fields.description, fields.actor, nanos, nonce, length)}`;
      if (!taken(id)) return id;
    }
  }
  // Practically unreachable (60 collisions); fall back to a random suffix rather than fail.
  for (;;) {
    const id = `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
    if (!taken(id)) return id;
  }
}

/**
 * Returns a new ID for an issue that must leave `id` because a different issue holds it (an
 * ID minted twice on two clones), in the ID's own scheme, free in `taken`:
 * - a child `P.n` becomes `P.m`, m one past the highest child number of P in `taken`;
 * - a sequential `prefix-n` becomes `prefix-m` the same way;
 * - a hash ID gets the hash rule's next free ID from the issue's own content, at the same length.
 * The answer depends only on its arguments, so two clones merging the same files agree on it.
 */
export function replacementId(
  id: string,
  fields: { title: string; description: string; actor: string; createdAt: string },
  taken: ReadonlySet<string>,
): string {
  const numbered = /^(.+)\.(\d+)$/.exec(id) ?? /^(.+-)(\d+)$/.exec(id);
  if (numbered) {
    const [, stem] = numbered;
    const sep = id[stem.length] === "." ? "." : "";
    let max = 0;
    for (const other of taken) {
      if (!other.startsWith(stem + sep)) continue;
      const rest = other.slice(stem.length + sep.length);
      if (/^\d+$/.test(rest)) max = Math.max(max, Number(rest));
    }
    return `${stem}${sep}${max + 1}`;
  }
  const dash = id.lastIndexOf("-");
  const prefix = dash > 0 ? id.slice(0, dash) : "bd";
  const created = Date.parse(fields.createdAt);
  const createdAt = Number.isNaN(created) ? new Date(0).toISOString() : new Date(created).toISOString();
  return hashIdFrom(prefix, { ...fields, createdAt }, id.length - dash - 1, (c) => taken.has(c));
}
