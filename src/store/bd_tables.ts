/**
 * The tables bd owns. Applications' tables live beside them (contract §9); these are never
 * surfaced as extension tables, and api_tokens (token hashes) never leaves the database.
 */
export const BD_TABLES: ReadonlySet<string> = new Set([
  "issues",
  "dependencies",
  "labels",
  "comments",
  "events",
  "config",
  "metadata",
  "dirty_issues",
  "tombstones",
  "child_counters",
  "jsonl_base",
  "jsonl_records",
  "impact_cache",
  "blocked_cache",
  "blocked_seeds",
  "issue_counts",
  "custom_statuses",
  "api_tokens",
  "claim_leases",
]);
