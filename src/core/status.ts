/** The status/closed_at invariant (contract §5), in one place. */
import type { Issue } from "../model/types.ts";

/**
 * Returns the column changes for moving `issue` to `status`: `closed_at` is set exactly when the
 * status is `closed`; leaving `closed` clears `closed_at` and `close_reason`.
 */
export function statusChange(
  issue: Issue,
  status: string,
  now: string,
  reason?: string,
): { status: string; closed_at: string | null; close_reason: string | null } {
  if (status === "closed") {
    return {
      status,
      closed_at: issue.status === "closed" && issue.closed_at ? issue.closed_at : now,
      close_reason: reason ?? (issue.status === "closed" ? issue.close_reason : undefined) ?? "Closed",
    };
  }
  return { status, closed_at: null, close_reason: null };
}
