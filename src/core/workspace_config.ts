/** The workspace: user config, integrity and what `bd info` reports. */
import * as meta from "../store/meta.ts";
import * as customStatusesRepo from "../store/custom_statuses.ts";
import { parseCustomStatuses, parseCustomStatusesLeniently } from "../model/status_categories.ts";
import { validation } from "../model/errors.ts";
import type { BeadsContext } from "./context.ts";
import { configSortKey, SHARED_CONFIG_KEYS } from "./sync/jsonl.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "clearPrefixCache" | "count" | "customStatuses" | "db" | "mutate" | "paths" | "prefix">;

/** Returns a config value, or undefined. */
export function configGet(beads: Ctx, key: string): string | undefined {
  return meta.getKey(beads.db, "config", key);
}

/** The config key whose value gives the custom statuses and their categories. */
export const STATUS_CUSTOM = "status.custom";

/**
 * Sets a config value. `issue_prefix` must be a valid prefix; `status.custom` must parse, and
 * the statuses the rules read change with it, in the same write.
 */
export function configSet(beads: Ctx, key: string, value: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw validation(`invalid config key "${key}"`);
  if (key === "issue_prefix" && !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(value)) {
    throw validation(`invalid prefix "${value}"`);
  }
  const statuses = key === STATUS_CUSTOM ? parseCustomStatuses(value) : undefined;
  beads.mutate(() => {
    meta.setKey(beads.db, "config", key, value);
    if (statuses) customStatusesRepo.replaceCustomStatuses(beads.db, statuses);
    markShared(beads, key);
  });
  beads.clearPrefixCache();
}

/** Removes a config key; returns false when it was not set. */
export function configUnset(beads: Ctx, key: string): boolean {
  const removed = beads.mutate(() => {
    if (key === STATUS_CUSTOM) customStatusesRepo.replaceCustomStatuses(beads.db, []);
    markShared(beads, key);
    return meta.deleteKey(beads.db, "config", key);
  });
  beads.clearPrefixCache();
  return removed;
}

/** A shared setting (it travels in the JSONL) is flushed with the next write, like an issue. */
function markShared(beads: Ctx, key: string): void {
  if (SHARED_CONFIG_KEYS.includes(key)) meta.markDirty(beads.db, [configSortKey(key)], new Date().toISOString());
}

/**
 * Applies a shared setting as the JSONL has it (undefined: the file no longer has it), inside the
 * caller's write; returns true when it changed. A status.custom that changes moves what blocks and
 * what is ready at once, as `bd config set` does.
 */
export function applySharedSetting(beads: Pick<BeadsContext, "db">, key: string, value: string | undefined): boolean {
  if (meta.getKey(beads.db, "config", key) === value) return false;
  if (value === undefined) meta.deleteKey(beads.db, "config", key);
  else meta.setKey(beads.db, "config", key, value);
  if (key === STATUS_CUSTOM) {
    customStatusesRepo.replaceCustomStatuses(beads.db, parseCustomStatusesLeniently(value ?? ""));
  }
  return true;
}

/** True when the custom statuses the rules read differ from what config `status.custom` says. */
export function customStatusesDrift(beads: Ctx): boolean {
  const configured = parseCustomStatusesLeniently(configGet(beads, STATUS_CUSTOM) ?? "");
  return JSON.stringify(configured) !== JSON.stringify(beads.customStatuses());
}

/** Makes the custom statuses the rules read follow config `status.custom` again. */
export function resyncCustomStatuses(beads: Ctx): void {
  beads.mutate(() =>
    customStatusesRepo.replaceCustomStatuses(
      beads.db,
      parseCustomStatusesLeniently(configGet(beads, STATUS_CUSTOM) ?? ""),
    )
  );
}

/** Returns all config entries. */
export function configList(beads: Ctx, all = false): Record<string, string> {
  // Memories (kv.memory.*) share the table but are not settings, and there can be hundreds:
  // hidden unless asked for, as bd does.
  return Object.fromEntries(
    meta.listConfig(beads.db).filter((r) => all || !r.key.startsWith("kv.")).map((r) => [r.key, r.value]),
  );
}

/** Returns `PRAGMA integrity_check` ("ok" when the file is sound). */
export function integrityCheck(beads: Ctx): string {
  return meta.integrityCheck(beads.db);
}

/** Where the workspace is and what it holds (`bd info`). */
export function info(beads: Ctx): Record<string, unknown> {
  return {
    database: beads.paths.dbPath,
    jsonl: beads.paths.jsonlPath,
    beads_dir: beads.paths.beadsDir,
    // The worktree the database belongs to; from a linked worktree, the main one (shared by all).
    worktree: beads.paths.worktree?.main ?? null,
    linked_worktree: beads.paths.worktree?.linked ?? null,
    prefix: beads.prefix,
    schema_version: meta.schemaVersionOf(beads.db),
    issues: beads.count({ includeClosed: true }),
    open: beads.count({ status: ["open"] }),
    closed: beads.count({ status: ["closed"] }),
    tombstones: meta.tombstoneCount(beads.db),
    memories: meta.allMemories(beads.db).length,
  };
}
