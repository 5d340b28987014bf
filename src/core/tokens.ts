/**
 * Named tokens for `bd serve` (contract §10): `bd token add NAME` mints a token, shows it once,
 * and keeps only its SHA-256; a request carrying it acts as NAME. Tokens are 32 random bytes, so a
 * plain hash is enough (no password stretching), and a presented token is compared with every
 * stored hash in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { Buffer } from "node:buffer";
import { BdError, notFound, validation } from "../model/errors.ts";
import { nowIso } from "../model/time.ts";
import * as tokensRepo from "../store/tokens.ts";
import type { BeadsContext } from "./context.ts";

type Ctx = Pick<BeadsContext, "actor" | "db" | "mutate">;

/** A token's name: what the actor becomes, so the same characters as a plain actor name. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

const hash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** Mints a token for NAME; returns it (the only time it is ever shown). */
export function addToken(beads: Ctx, name: string): { name: string; token: string } {
  if (!NAME.test(name)) {
    throw validation(
      `invalid token name ${
        JSON.stringify(name)
      }: letters, digits, '.', '_', '@' and '-', at most 64, starting with a letter or digit`,
    );
  }
  const token = `bd_${randomBytes(32).toString("base64url")}`;
  return beads.mutate(() => {
    if (tokensRepo.tokenExists(beads.db, name)) {
      throw new BdError("CONFLICT", `a token named ${name} exists: revoke it first (bd token revoke ${name})`);
    }
    tokensRepo.insertToken(beads.db, { name, token_hash: hash(token), created_at: nowIso(), created_by: beads.actor });
    return { name, token };
  });
}

/** The tokens' names and creation times (never the tokens or their hashes). */
export function listTokens(
  beads: Pick<BeadsContext, "db">,
): { name: string; created_at: string; created_by: string }[] {
  return tokensRepo.listTokens(beads.db);
}

/** Revokes NAME's token; a server refuses it from its next request on. */
export function revokeToken(beads: Ctx, name: string): { name: string; revoked: true } {
  return beads.mutate(() => {
    if (!tokensRepo.deleteToken(beads.db, name)) throw notFound(`no token named ${name} (bd token list names them)`);
    return { name, revoked: true as const };
  });
}

/** The name of the named token `presented` is, or undefined; every stored hash is compared. */
export function tokenOwner(beads: Pick<BeadsContext, "db">, presented: string): string | undefined {
  if (!presented) return undefined;
  const given = Buffer.from(hash(presented), "hex");
  let owner: string | undefined;
  for (const row of tokensRepo.tokenHashes(beads.db)) {
    const stored = Buffer.from(row.token_hash, "hex");
    if (stored.length === given.length && timingSafeEqual(stored, given)) owner ??= row.name;
  }
  return owner;
}

/** True when the workspace has named tokens (bd serve then requires a token on data routes). */
export function hasNamedTokens(beads: Pick<BeadsContext, "db">): boolean {
  return tokensRepo.anyToken(beads.db);
}
