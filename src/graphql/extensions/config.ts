/**
 * The extension config (`.beads/graphql.json`, or `bd serve --extensions FILE`): which
 * application tables the GraphQL API exposes, and how they are named.
 *
 * {
 *   "extensions": [
 *     { "name": "myapp", "prefix": "myapp_", "writable": false,
 *       "tables": { "myapp_checkpoints": { "json": ["step_data"] },
 *                   "myapp_executions": { "typeName": "MyappExecution", "fields": { "agent_id": "agent" },
 *                                         "hide": ["error"], "writable": true,
 *                                         "relations": { "issue_id": { "field": "issue", "reverseField": "executions" } } } } },
 *     { "name": "vc", "include": ["vc_executor_instances", "vc_execution_state"],
 *       "tables": { "vc_execution_state": { "json": ["state_data"] } } }
 *   ]
 * }
 */
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Beads } from "../../core/service.ts";

export interface TableConfig {
  typeName?: string;
  fields?: Record<string, string>;
  hide?: string[];
  json?: string[];
  /** Integer columns whose values may exceed 32 bits: exposed as String. */
  bigint?: string[];
  writable?: boolean;
  relations?: Record<string, { field?: string; reverseField?: string }>;
}

export interface ExtensionConfig {
  name: string;
  prefix?: string;
  include?: string[];
  writable?: boolean;
  tables?: Record<string, TableConfig>;
}

export interface LoadedConfig {
  path: string;
  exists: boolean;
  /** Changes when the file changes (size and mtime). */
  stamp: string;
  extensions: ExtensionConfig[];
  /** Problems reading or shaping the file. */
  errors: string[];
}

export const CONFIG_NAME = "graphql.json";

/** Returns the config path: explicit, else `.beads/graphql.json`. */
export function configPath(beads: Beads, explicit?: string): string {
  return explicit ? resolve(explicit) : join(beads.paths.beadsDir, CONFIG_NAME);
}

/** Returns a cheap stamp of the config file (no read). */
export function configStamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return "none";
  }
}

const isStringArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");

/** Reads and shape-checks the config; a missing file means no extensions. */
export function loadConfig(path: string): LoadedConfig {
  const stamp = configStamp(path);
  const out: LoadedConfig = { path, exists: stamp !== "none", stamp, extensions: [], errors: [] };
  if (!out.exists) return out;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    out.errors.push(`${path}: not valid JSON (${(e as Error).message})`);
    return out;
  }
  const list = (raw as { extensions?: unknown })?.extensions;
  if (!Array.isArray(list)) {
    out.errors.push(`${path}: expected {"extensions": [...]}`);
    return out;
  }
  list.forEach((e, i) => {
    const where = `${path}: extensions[${i}]`;
    if (typeof e !== "object" || e === null) return out.errors.push(`${where}: must be an object`);
    const ext = e as Record<string, unknown>;
    if (typeof ext.name !== "string" || !ext.name) return out.errors.push(`${where}: "name" is required`);
    if (ext.prefix !== undefined && typeof ext.prefix !== "string") {
      return out.errors.push(`${where}: "prefix" must be a string`);
    }
    if (ext.include !== undefined && !isStringArray(ext.include)) {
      return out.errors.push(`${where}: "include" must be a list of table names`);
    }
    if (ext.prefix === undefined && ext.include === undefined) {
      return out.errors.push(`${where} (${ext.name}): give a "prefix" or an "include" list of tables`);
    }
    if (
      ext.tables !== undefined && (typeof ext.tables !== "object" || ext.tables === null || Array.isArray(ext.tables))
    ) {
      return out.errors.push(`${where}: "tables" must be an object keyed by table name`);
    }
    for (const [t, cfg] of Object.entries((ext.tables ?? {}) as Record<string, unknown>)) {
      const c = cfg as Record<string, unknown>;
      for (const k of ["hide", "json", "bigint"]) {
        if (c?.[k] !== undefined && !isStringArray(c[k])) {
          out.errors.push(`${where}.tables.${t}: "${k}" must be a list of column names`);
        }
      }
    }
    out.extensions.push(ext as unknown as ExtensionConfig);
  });
  return out;
}
