/** `bd init`: create a workspace, or rebuild the database from an existing `issues.jsonl`. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Db } from "../store/db.ts";
import * as meta from "../store/meta.ts";
import { Beads } from "./service.ts";
import { flushJsonl, type ImportSummary, importWorkspaceText, jsonlHasContent } from "./sync/jsonl_io.ts";
import { installMergeDriver } from "./sync/merge_driver.ts";
import { checkPrefix, type LocateOptions, prefixFromDir, prepareWorkspace, type WorkspacePaths } from "./workspace.ts";

export interface InitOptions extends LocateOptions {
  prefix?: string;
  sequential?: boolean;
  actor?: string;
  autoFlush?: boolean;
  /** Configure bd as git's merge driver for the JSONL (default true; only inside git). */
  mergeDriver?: boolean;
  /** Adopt a database that is already there (keeping every issue) instead of refusing. */
  force?: boolean;
}

/** Returns the most common ID prefix in a JSONL text (how an adopted workspace names issues). */
function prefixInJsonl(text: string): string | undefined {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/"id":"([^"]+?)-[^"-]+"/g)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Creates the workspace; returns it with the import summary when it was rebuilt from JSONL. */
export function initWorkspace(
  opts: InitOptions,
): { beads: Beads; paths: WorkspacePaths; prefix: string; imported?: ImportSummary; mergeDriver?: string[] } {
  if (opts.prefix !== undefined) checkPrefix(opts.prefix);
  const paths = prepareWorkspace(opts);
  const existing = jsonlHasContent(paths.jsonlPath) ? readFileSync(paths.jsonlPath, "utf8") : undefined;
  const db = Db.open(paths.dbPath);
  // An adopted database (--force) keeps its prefix unless one is given.
  const stored = meta.getKey(db, "config", "issue_prefix");
  const prefix = opts.prefix ?? stored ?? (existing ? prefixInJsonl(existing) : undefined) ??
    prefixFromDir(opts.cwd);
  db.write(() => {
    if (prefix !== stored) meta.setKey(db, "config", "issue_prefix", prefix);
    if (opts.sequential) meta.setKey(db, "config", "id_mode", "sequential");
  });
  const beads = new Beads(db, paths, { actor: opts.actor, env: opts.env, cwd: opts.cwd, autoFlush: opts.autoFlush });
  let imported: ImportSummary | undefined;
  if (existing !== undefined) {
    imported = importWorkspaceText(beads, existing);
  } else {
    if (!existsSync(paths.jsonlPath)) writeFileSync(paths.jsonlPath, "");
    if (opts.autoFlush !== false) flushJsonl(beads, { full: true });
  }
  const mergeDriver = opts.mergeDriver === false ? undefined : installMergeDriver(paths.beadsDir, paths.jsonlPath);
  return { beads, paths, prefix, imported, mergeDriver };
}
