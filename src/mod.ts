/**
 * bd as a library: the same service layer the CLI and the GraphQL server use.
 *
 * ```ts
 * import { openWorkspace } from "./src/mod.ts";
 * const bd = openWorkspace({ db: ".beads/myapp.db", actor: "orchestrator" });
 * const work = bd.ready({ limit: 10 });
 * const claimed = bd.claimNextReady();
 * bd.closeIssue(claimed!.id, "Completed by agent-1");
 * bd.close();
 * ```
 *
 * Applications keep their own prefixed tables in the same SQLite file (see EXTENDING.md); use
 * `bd.db.raw` (a node:sqlite DatabaseSync) for them, inside `bd.db.write(() => ...)` when they
 * must commit together with bd's own changes.
 *
 * @module
 */
import process from "node:process";
import { Beads, type OpenOptions } from "./core/service.ts";
import { type InitOptions, initWorkspace as init } from "./core/init.ts";
import { exportText, flushJsonl, type ImportSummary } from "./core/sync/jsonl_io.ts";
import { importText } from "./core/sync/jsonl_import.ts";

export { Beads };
export type {
  CreateInput,
  IssueDetails,
  IssueRow,
  OpenOptions,
  ReadyOptions,
  TreeNode,
  UpdateInput,
} from "./core/service.ts";
export type { Comment, Dependency, Issue, IssueEvent, IssueFilter, ReadySort } from "./model/types.ts";
export { BdError, type ErrorCode } from "./model/errors.ts";
export { VERSION } from "./version.ts";
export type { ImportSummary };

/**
 * Opens an existing workspace: `db` (a database path) or discovery from `cwd` (default: the
 * process's), `$BEADS_DIR`, `$BEADS_DB`. Imports `issues.jsonl` if it changed (unless
 * `autoImport: false`); writes flush it (unless `autoFlush: false`).
 */
export function openWorkspace(opts: OpenOptions = {}): Beads {
  return Beads.open({ cwd: process.cwd(), env: process.env, ...opts });
}

/** Creates a workspace (`.beads/` with database and JSONL) and returns it opened. */
export function initWorkspace(opts: Partial<InitOptions> = {}): Beads {
  return init({ cwd: process.cwd(), env: process.env, ...opts }).beads;
}

/** Returns the workspace as JSONL text (contract §8). */
export function exportJsonl(bd: Beads): string {
  return exportText(bd);
}

/** Imports JSONL text (upsert, last-writer-wins, relations merged) in one transaction. */
export function importJsonl(
  bd: Beads,
  text: string,
  opts: { skipExisting?: boolean; dryRun?: boolean } = {},
): ImportSummary {
  return importText(bd, text, opts);
}

/** Writes `issues.jsonl` now (normally automatic after each write). */
export function flush(bd: Beads): void {
  flushJsonl(bd);
}
