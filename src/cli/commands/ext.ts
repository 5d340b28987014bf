/**
 * The glue of `bd ext init PREFIX` and `bd ext check`: write and validate the extension config
 * (the rules live in src/graphql/extensions/). Loaded only when those commands run.
 */
import { existsSync, readFileSync } from "node:fs";
import { BdError } from "../../model/errors.ts";
import type { Context } from "../command.ts";
import { writeFileAtomic } from "../../core/sync/jsonl_io.ts";
import { configPath, type ExtensionConfig, loadConfig } from "../../graphql/extensions/config.ts";
import { CORE_TABLES, planExtensions } from "../../graphql/extensions/plan.ts";

/** Writes (or adds to) the config an entry exposing tables that start with PREFIX. */
export function extInitCommand(ctx: Context, prefix: string, explicit: string | undefined, force: boolean): number {
  const beads = ctx.beads();
  const path = configPath(beads, explicit);
  const catalog = beads.tableCatalog().filter((t) => t.name.startsWith(prefix) && !CORE_TABLES.has(t.name));
  if (catalog.length === 0) {
    throw new BdError(
      "NOT_FOUND",
      `no table in ${beads.paths.dbPath} starts with "${prefix}"; create your tables first`,
    );
  }
  let doc: { extensions: ExtensionConfig[] } = { extensions: [] };
  if (existsSync(path)) {
    try {
      doc = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      throw new BdError("VALIDATION", `${path} is not valid JSON (${(e as Error).message}); fix or remove it first`);
    }
    if (!Array.isArray(doc.extensions)) doc.extensions = [];
  }
  const name = prefix.replace(/_+$/, "") || prefix;
  const existing = doc.extensions.findIndex((e) => e.prefix === prefix || e.name === name);
  if (existing >= 0 && !force) {
    throw new BdError("CONFLICT", `${path} already has an entry for "${prefix}" (use --force to replace it)`);
  }
  // Columns that look like JSON documents (the founding document's *_data columns).
  const tables: ExtensionConfig["tables"] = {};
  for (const t of catalog) {
    const json = t.columns.filter((c) => /(_data|_json)$/i.test(c.name) || /JSON/i.test(c.type)).map((c) => c.name);
    if (json.length) tables[t.name] = { json };
  }
  const entry: ExtensionConfig = { name, prefix, writable: false, tables };
  if (existing >= 0) doc.extensions[existing] = entry;
  else doc.extensions.push(entry);
  writeFileAtomic(path, JSON.stringify(doc, null, 2) + "\n");
  if (ctx.globals.json) ctx.out.data({ path, extension: entry, tables: catalog.map((t) => t.name) });
  else {
    ctx.out.line(`✓ Wrote ${path}: extension "${name}" exposes ${catalog.map((t) => t.name).join(", ")}`);
    ctx.out.line("  Check it with: bd ext check; see the result with: bd schema");
  }
  return 0;
}

/** Validates the config against the live database; exit 1 when anything is wrong. */
export function extCheckCommand(ctx: Context, explicit: string | undefined): number {
  const beads = ctx.beads();
  const config = loadConfig(configPath(beads, explicit));
  if (!config.exists) {
    throw new BdError("NOT_FOUND", `no extension config at ${config.path}: create one with 'bd ext init PREFIX'`);
  }
  const plan = planExtensions(beads, config);
  const exposed = plan.tables.map((t) => ({
    table: t.table,
    type: t.typeName,
    fields: t.fields.map((f) => f.field),
    relations: t.forward.map((r) => r.field),
    writable: t.writable,
  }));
  const reverse = plan.reverse.map((r) => `${r.onType}.${r.field}`);
  if (ctx.globals.json) {
    ctx.out.data({
      path: config.path,
      ok: plan.problems.length === 0,
      problems: plan.problems,
      tables: exposed,
      reverse,
    });
  } else {
    for (const t of exposed) ctx.out.line(`✓ ${t.table} → ${t.type}${t.writable ? " (writable)" : ""}`);
    for (const r of reverse) ctx.out.line(`✓ ${r}`);
    for (const p of plan.problems) ctx.out.line(`${p.level === "error" ? "✗" : "!"} ${p.message}`);
    ctx.out.line(
      plan.problems.length ? `${plan.problems.length} problem(s) in ${config.path}` : `${config.path} is valid`,
    );
  }
  return plan.problems.length ? 1 : 0;
}
