/** Named API tokens (table api_tokens): names and SHA-256 hashes; the tokens themselves are never stored. */
import type { Db } from "./db.ts";

export interface TokenRow {
  name: string;
  token_hash: string;
  created_at: string;
  created_by: string;
}

export function insertToken(db: Db, row: TokenRow): void {
  db.run(
    "INSERT INTO api_tokens (name, token_hash, created_at, created_by) VALUES (?, ?, ?, ?)",
    row.name,
    row.token_hash,
    row.created_at,
    row.created_by,
  );
}

export function tokenExists(db: Db, name: string): boolean {
  return !!db.get("SELECT 1 AS x FROM api_tokens WHERE name = ?", name);
}

/** Names and creation times, by name (never hashes). */
export function listTokens(db: Db): { name: string; created_at: string; created_by: string }[] {
  return db.all("SELECT name, created_at, created_by FROM api_tokens ORDER BY name");
}

/** Every name with its hash (for checking a presented token against all of them). */
export function tokenHashes(db: Db): { name: string; token_hash: string }[] {
  return db.all("SELECT name, token_hash FROM api_tokens");
}

export function deleteToken(db: Db, name: string): boolean {
  return db.run("DELETE FROM api_tokens WHERE name = ?", name).changes > 0;
}

/** True when the workspace has any named token (then bd serve requires one on every data route). */
export function anyToken(db: Db): boolean {
  return !!db.get("SELECT 1 AS x FROM api_tokens LIMIT 1");
}
