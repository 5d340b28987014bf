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
  const nanos = toNanos(fields.createdAt);
  for (let length = idLengthFor(topLevelCount); length <= 8; length++) {
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
