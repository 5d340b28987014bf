/** The contract's key order for issue objects (§3), in one place for JSON output and JSONL. */
import { type Issue, ISSUE_FIELDS, KNOWN_ISSUE_KEYS } from "./types.ts";

/**
 * Returns the issue with its keys in contract order: the scalar fields, then `relations` in the
 * order given (labels, dependencies, counts, ...), then the fields an import brought that bd does
 * not know.
 */
export function inContractOrder(issue: Issue, relations: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of ISSUE_FIELDS) if (issue[f] !== undefined) out[f] = issue[f];
  if (issue.lease_expires_at !== undefined) out.lease_expires_at = issue.lease_expires_at;
  Object.assign(out, relations);
  for (const k in issue) if (!KNOWN_ISSUE_KEYS.has(k) && !(k in relations)) out[k] = issue[k];
  return out;
}
