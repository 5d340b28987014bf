/**
 * Resolves the extension config against the live catalog into a plan: which tables become which
 * types, with which fields and relations. Every problem is reported; a table that cannot be
 * exposed whole (no single-column primary key, invalid or clashing names) is skipped, never
 * half-exposed. Extensions never shadow or change core types or fields.
 */
import { buildSchema, type GraphQLObjectType } from "graphql";
import type { Beads } from "../../core/service.ts";
import type { ColumnInfo, TableInfo } from "../../store/ext_tables.ts";
import { CORE_SDL } from "../schema_sdl.ts";
import type { ExtensionConfig, LoadedConfig, TableConfig } from "./config.ts";
import { camelCase, isGraphqlName, lowerFirst, pascalCase, typeNameFor } from "./naming.ts";
import { BD_TABLES } from "../../store/bd_tables.ts";

export interface Problem {
  level: "error" | "warning";
  message: string;
}

export type ScalarKind = "int" | "bigint" | "float" | "string" | "datetime" | "json" | "blob" | "boolean";

export interface FieldPlan {
  column: string;
  field: string;
  kind: ScalarKind;
  gqlType: string;
  nonNull: boolean;
  /** Required on insert: NOT NULL without a default, and not an auto-assigned key. */
  requiredOnInsert: boolean;
}

export interface ForwardPlan {
  field: string;
  column: string;
  targetTable: string;
  targetColumn: string;
  targetType: string;
}

export interface ReversePlan {
  field: string;
  /** The type that gets the field (the referenced side). */
  onType: string;
  /** Key on the referenced side. */
  keyColumn: string;
  fromTable: string;
  fromColumn: string;
  fromType: string;
}

export interface TablePlan {
  table: string;
  extension: string;
  typeName: string;
  info: TableInfo;
  pk: FieldPlan;
  fields: FieldPlan[];
  forward: ForwardPlan[];
  byPkName: string;
  listName: string;
  writable: boolean;
}

export interface Plan {
  tables: TablePlan[];
  reverse: ReversePlan[];
  problems: Problem[];
}

/** What a table or column name must be to be surfaced: SQL and GraphQL read it the same, unquoted. */
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Tables bd itself owns: never exposed as extensions. */
export const CORE_TABLES = BD_TABLES;

/** Names the generated SDL defines once for all extensions. */
export const SHARED_EXT_TYPES = [
  "ExtIntFilter",
  "ExtFloatFilter",
  "ExtStringFilter",
  "ExtDateTimeFilter",
  "ExtBooleanFilter",
  "ExtJSONFilter",
];

let coreNames: { types: Set<string>; issueFields: Set<string>; query: Set<string>; mutation: Set<string> } | undefined;

/** Returns the names the core schema already uses (types, Issue fields, root fields). */
export function coreSchemaNames() {
  if (!coreNames) {
    const schema = buildSchema(CORE_SDL);
    const fields = (t: GraphQLObjectType | null | undefined) => new Set(Object.keys(t?.getFields() ?? {}));
    coreNames = {
      types: new Set([...Object.keys(schema.getTypeMap()), ...SHARED_EXT_TYPES]),
      issueFields: fields(schema.getType("Issue") as GraphQLObjectType),
      query: fields(schema.getQueryType()),
      mutation: fields(schema.getMutationType()),
    };
  }
  return coreNames;
}

function kindOf(col: ColumnInfo, cfg: TableConfig): ScalarKind {
  if (cfg.json?.includes(col.name)) return "json";
  if (cfg.bigint?.includes(col.name)) return "bigint";
  const t = col.type.toUpperCase();
  if (t.includes("JSON")) return "json";
  if (t.includes("BOOL")) return "boolean";
  if (t.includes("INT")) return "int";
  if (/REAL|FLOA|DOUB|NUMERIC|DECIMAL/.test(t)) return "float";
  if (/DATE|TIME/.test(t)) return "datetime";
  if (t.includes("BLOB")) return "blob";
  return "string";
}

const GQL_TYPE: Record<ScalarKind, string> = {
  int: "Int",
  bigint: "String",
  float: "Float",
  string: "String",
  datetime: "DateTime",
  json: "JSON",
  blob: "String",
  boolean: "Boolean",
};

/** Returns the prefix shared by an extension's tables (`vc_`), for naming reverse fields. */
function sharedPrefix(ext: ExtensionConfig, tables: string[]): string {
  if (ext.prefix) return ext.prefix;
  if (tables.length === 0) return "";
  let p = tables[0];
  for (const t of tables) while (!t.startsWith(p)) p = p.slice(0, -1);
  return p.slice(0, p.lastIndexOf("_") + 1);
}

/** Builds the plan for the loaded config against the live database. */
export function planExtensions(beads: Beads, config: LoadedConfig): Plan {
  const problems: Problem[] = config.errors.map((message) => ({ level: "error" as const, message }));
  const error = (message: string) => problems.push({ level: "error", message });
  const warn = (message: string) => problems.push({ level: "warning", message });
  const catalog = new Map(beads.tableCatalog().map((t) => [t.name, t]));
  const core = coreSchemaNames();
  const claimed = new Map<string, string>();
  const usedTypes = new Set<string>();
  const usedRoots = new Set<string>([...core.query, ...core.mutation]);
  const tables: TablePlan[] = [];
  const prefixes = new Map<string, string>();

  for (const ext of config.extensions) {
    let selected: string[];
    if (ext.include) {
      selected = [];
      for (const t of ext.include) {
        if (!catalog.has(t)) error(`${ext.name}: unknown table "${t}" (not in the database)`);
        else if (CORE_TABLES.has(t)) error(`${ext.name}: "${t}" is one of bd's own tables and cannot be an extension`);
        else selected.push(t);
      }
    } else {
      selected = [...catalog.keys()].filter((t) => t.startsWith(ext.prefix!) && !CORE_TABLES.has(t));
      if (selected.length === 0) warn(`${ext.name}: prefix "${ext.prefix}" matches no table in the database`);
    }
    for (const t of Object.keys(ext.tables ?? {})) {
      if (!catalog.has(t)) error(`${ext.name}: tables.${t}: unknown table (not in the database)`);
      else if (!selected.includes(t)) {
        warn(
          `${ext.name}: tables.${t}: configured but not selected by ${
            ext.prefix ? `prefix "${ext.prefix}"` : "include"
          }`,
        );
      }
    }
    const prefix = sharedPrefix(ext, selected);
    for (const table of selected) {
      if (!PLAIN_IDENTIFIER.test(table)) {
        error(
          `${ext.name}: table ${
            JSON.stringify(table)
          } is not a plain identifier (letters, digits and _, not starting with a digit); skipped`,
        );
        continue;
      }
      if (claimed.has(table)) {
        error(`${ext.name}: table "${table}" is already exposed by extension "${claimed.get(table)}"; skipped`);
        continue;
      }
      const info = catalog.get(table)!;
      const cfg: TableConfig = ext.tables?.[table] ?? {};
      const plan = planTable(ext, table, info, cfg, problems);
      if (!plan) continue;
      if (core.types.has(plan.typeName)) {
        error(
          `${ext.name}: type name "${plan.typeName}" for table "${table}" clashes with a core type; rename it with tables.${table}.typeName; skipped`,
        );
        continue;
      }
      if (usedTypes.has(plan.typeName)) {
        error(
          `${ext.name}: type name "${plan.typeName}" for table "${table}" clashes with another extension's type; skipped`,
        );
        continue;
      }
      const generated = [
        `${plan.typeName}Connection`,
        `${plan.typeName}Edge`,
        `${plan.typeName}Where`,
        `${plan.typeName}Order`,
        `${plan.typeName}OrderField`,
        `${plan.typeName}Insert`,
        `${plan.typeName}Set`,
      ];
      const clash = generated.find((n) => core.types.has(n) || usedTypes.has(n));
      if (clash) {
        error(`${ext.name}: generated type "${clash}" for table "${table}" clashes with an existing type; skipped`);
        continue;
      }
      if (plan.listName === plan.byPkName) plan.listName += "List";
      const roots = [
        plan.byPkName,
        plan.listName,
        ...(plan.writable ? [`insert${plan.typeName}`, `update${plan.typeName}`, `delete${plan.typeName}`] : []),
      ];
      const rootClash = roots.find((r) => usedRoots.has(r));
      if (rootClash) {
        error(
          `${ext.name}: root field "${rootClash}" for table "${table}" clashes with an existing root field; skipped`,
        );
        continue;
      }
      roots.forEach((r) => usedRoots.add(r));
      for (const n of [plan.typeName, ...generated]) usedTypes.add(n);
      claimed.set(table, ext.name);
      prefixes.set(table, prefix);
      tables.push(plan);
    }
  }

  // Relations from foreign keys, in both directions.
  const byTable = new Map(tables.map((t) => [t.table, t]));
  const reverse: ReversePlan[] = [];
  for (const t of tables) {
    const cfg = config.extensions.find((e) => e.name === t.extension)?.tables?.[t.table] ?? {};
    const fieldNames = new Set(t.fields.map((f) => f.field));
    for (const fk of t.info.foreignKeys) {
      if (!t.fields.some((f) => f.column === fk.column)) continue; // hidden column: no relation
      let targetType: string;
      let targetColumn: string;
      if (fk.table === "issues") {
        targetType = "Issue";
        targetColumn = fk.to ?? "id";
      } else if (byTable.has(fk.table)) {
        const target = byTable.get(fk.table)!;
        targetType = target.typeName;
        targetColumn = fk.to ?? target.pk.column;
      } else {
        warn(
          `${t.extension}: ${t.table}.${fk.column} references "${fk.table}", which is not exposed; no relation field`,
        );
        continue;
      }
      const rename = cfg.relations?.[fk.column];
      let field = rename?.field ??
        (fk.column.endsWith("_id") ? camelCase(fk.column.slice(0, -3)) : `${camelCase(fk.column)}Ref`);
      if (!isGraphqlName(field) || fieldNames.has(field)) {
        const fallback = `${lowerFirst(targetType)}By${pascalCase(fk.column)}`;
        if (rename?.field) {
          error(
            `${t.extension}: relations.${fk.column}.field "${field}" is not a usable field name on ${t.typeName}; using "${fallback}"`,
          );
        }
        field = fallback;
      }
      fieldNames.add(field);
      t.forward.push({ field, column: fk.column, targetTable: fk.table, targetColumn, targetType });
      const samePrefix = fk.table !== "issues" && byTable.get(fk.table)!.extension === t.extension;
      const defaultReverse = samePrefix ? camelCase(t.table.slice(prefixes.get(t.table)!.length)) : camelCase(t.table);
      reverse.push({
        field: rename?.reverseField ?? defaultReverse,
        onType: targetType,
        keyColumn: targetColumn,
        fromTable: t.table,
        fromColumn: fk.column,
        fromType: t.typeName,
      });
    }
  }
  // Reverse names: two relations wanting one name (e.g. two FKs to the same table) fall back to
  // `<table>By<Column>`; a name taken by a core field or a column field does too.
  const taken = (r: ReversePlan) => {
    if (r.onType === "Issue") return core.issueFields;
    return new Set(
      [...byTable.values()].find((p) => p.typeName === r.onType)!.fields.map((f) => f.field).concat(
        [...byTable.values()].find((p) => p.typeName === r.onType)!.forward.map((f) => f.field),
      ),
    );
  };
  const counts = new Map<string, number>();
  for (const r of reverse) counts.set(`${r.onType}.${r.field}`, (counts.get(`${r.onType}.${r.field}`) ?? 0) + 1);
  const final = new Set<string>();
  for (const r of reverse) {
    if (!isGraphqlName(r.field) || counts.get(`${r.onType}.${r.field}`)! > 1 || taken(r).has(r.field)) {
      r.field = `${camelCase(r.fromTable)}By${pascalCase(r.fromColumn)}`;
    }
    const key = `${r.onType}.${r.field}`;
    if (final.has(key) || taken(r).has(r.field)) {
      error(`reverse field ${key} (from ${r.fromTable}.${r.fromColumn}) clashes with an existing field; omitted`);
      r.field = "";
      continue;
    }
    final.add(key);
  }
  return { tables, reverse: reverse.filter((r) => r.field), problems };
}

function planTable(
  ext: ExtensionConfig,
  table: string,
  info: TableInfo,
  cfg: TableConfig,
  problems: Problem[],
): TablePlan | undefined {
  const error = (message: string) => problems.push({ level: "error", message });
  const columns = new Set(info.columns.map((c) => c.name));
  for (
    const [key, list] of [["hide", cfg.hide], ["json", cfg.json], ["bigint", cfg.bigint], [
      "fields",
      Object.keys(cfg.fields ?? {}),
    ], [
      "relations",
      Object.keys(cfg.relations ?? {}),
    ]] as const
  ) {
    for (const c of list ?? []) {
      if (!columns.has(c)) error(`${ext.name}: tables.${table}.${key}: column "${c}" does not exist`);
    }
  }
  const pkCols = info.columns.filter((c) => c.pk > 0);
  if (pkCols.length !== 1) {
    error(
      `${ext.name}: table "${table}" has ${
        pkCols.length === 0 ? "no primary key" : "a composite primary key"
      }; a single-column primary key is needed; skipped`,
    );
    return undefined;
  }
  const typeName = cfg.typeName ?? typeNameFor(table);
  if (!isGraphqlName(typeName)) {
    error(
      `${ext.name}: table "${table}" maps to "${typeName}", which is not a valid GraphQL name; set tables.${table}.typeName; skipped`,
    );
    return undefined;
  }
  const hidden = new Set(cfg.hide ?? []);
  const fields: FieldPlan[] = [];
  const names = new Set<string>();
  for (const col of info.columns) {
    const isPk = col.pk > 0;
    if (!PLAIN_IDENTIFIER.test(col.name)) {
      error(
        `${ext.name}: column ${table}.${
          JSON.stringify(col.name)
        } is not a plain identifier (letters, digits and _, not starting with a digit); skipped`,
      );
      return undefined;
    }
    if (hidden.has(col.name)) {
      if (isPk) {
        error(`${ext.name}: the primary key ${table}.${col.name} cannot be hidden; skipped`);
        return undefined;
      }
      continue;
    }
    const field = cfg.fields?.[col.name] ?? camelCase(col.name);
    if (!isGraphqlName(field) || names.has(field)) {
      error(
        `${ext.name}: column ${table}.${col.name} maps to field "${field}", which is ${
          names.has(field) ? "already used" : "not a valid GraphQL name"
        }; rename it with tables.${table}.fields; skipped`,
      );
      return undefined;
    }
    names.add(field);
    const kind = kindOf(col, cfg);
    const autoKey = isPk && col.type.toUpperCase() === "INTEGER";
    fields.push({
      column: col.name,
      field,
      kind,
      gqlType: GQL_TYPE[kind],
      nonNull: col.notNull || autoKey,
      requiredOnInsert: col.notNull && !col.hasDefault && !autoKey,
    });
  }
  const pk = fields.find((f) => f.column === pkCols[0].name)!;
  return {
    table,
    extension: ext.name,
    typeName,
    info,
    pk,
    fields,
    forward: [],
    byPkName: lowerFirst(typeName),
    listName: camelCase(table),
    writable: cfg.writable ?? ext.writable ?? false,
  };
}
