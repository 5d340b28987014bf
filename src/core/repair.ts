/**
 * Rebuilding a damaged database (`bd doctor --fix`): the damaged file is moved aside, never
 * deleted; a new database is built from issues.jsonl (issues, memories and the settings that
 * travel with them); then whatever SQLite can still read of the damaged file is carried over:
 * the config, and the applications' own tables, table by table.
 */
import { existsSync, readFileSync, renameSync } from "node:fs";
import { BdError } from "../model/errors.ts";
import { openDatabase } from "../store/open.ts";
import { salvageFrom } from "../store/salvage.ts";
import * as meta from "../store/meta.ts";
import { Beads } from "./service.ts";
import { prefixInJsonl, type WorkspacePaths } from "./workspace.ts";
import { importWorkspaceText } from "./sync/jsonl_import.ts";

export interface RebuildReport {
  /** Where the damaged file now is. */
  moved_to: string;
  issues: number;
  memories: number;
  /** Config entries carried over from the damaged file. */
  config: number;
  /** The applications' tables: rows carried over, or why they could not be. */
  extension_tables: { table: string; rows?: number; error?: string }[];
}

/** Moves the damaged database aside and rebuilds it from the workspace's issues.jsonl. */
export function rebuildDatabase(paths: WorkspacePaths, env: Record<string, string | undefined>): RebuildReport {
  if (!existsSync(paths.jsonlPath)) {
    throw new BdError(
      "CORRUPT",
      `the database is damaged and there is no ${paths.jsonlPath} to rebuild it from: restore it from git (git checkout -- .beads/issues.jsonl) and run bd doctor --fix again`,
    );
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const aside = `${paths.dbPath}.damaged-${stamp}`;
  renameSync(paths.dbPath, aside);
  for (const side of ["-wal", "-shm", "-journal"]) {
    if (existsSync(paths.dbPath + side)) renameSync(paths.dbPath + side, aside + side);
  }
  const text = readFileSync(paths.jsonlPath, "utf8");
  const db = openDatabase(paths.dbPath);
  const beads = new Beads(db, paths, { env, autoFlush: false });
  try {
    const prefix = prefixInJsonl(text);
    db.write(() => {
      if (prefix) meta.setKey(db, "config", "issue_prefix", prefix);
    });
    const summary = importWorkspaceText(beads, text);
    const report: RebuildReport = {
      moved_to: aside,
      issues: summary.created + summary.updated + summary.unchanged,
      memories: summary.memories ?? 0,
      config: 0,
      extension_tables: [],
    };
    const salvaged = salvageFrom(db, aside);
    report.config = salvaged.config;
    report.extension_tables = salvaged.tables;
    return report;
  } finally {
    beads.close();
  }
}
