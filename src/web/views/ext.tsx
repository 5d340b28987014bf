/** @jsxImportSource preact */
/// <reference lib="dom" />
/** The extension tables stitched into the schema, each browsable and filterable, linked to issues. */
import { useState } from "preact/hooks";
import { gql } from "../gql.ts";
import { selectionOf, typeInfo } from "../data.ts";
import { go, route } from "../state.ts";
import { Problem, useLive } from "./common.tsx";
import { RowsTable } from "./issue.tsx";

/** Root fields that list an extension table: cursor connections other than `issues`. */
async function tables() {
  const q = await typeInfo("Query");
  return (q?.fields ?? []).filter((f) => f.type?.endsWith("Connection") && f.name !== "issues");
}

export function ExtensionsView() {
  const { data: list, error } = useLive(tables);
  const name = route.value.arg ?? list?.[0]?.name;
  const [where, setWhere] = useState({ field: "", value: "" });
  const table = list?.find((t) => t.name === name);
  const { data, error: rowsError } = useLive(async () => {
    if (!table) return null;
    const node = (await typeInfo(table.type))?.fields.find((f) => f.name === "nodes")?.type;
    if (!node) return null;
    const selection = await selectionOf(node);
    const scalars = (await typeInfo(node))?.fields.filter((f) => f.kind === "SCALAR").map((f) => f.name) ?? [];
    const filter = where.field && where.value
      ? `where: { ${where.field}: { eq: ${JSON.stringify(where.value)} } }, `
      : "";
    const d = await gql(`{ t: ${table.name}(${filter}first: 50) { totalCount nodes { ${selection} } } }`);
    return { rows: d.t.nodes, total: d.t.totalCount, scalars };
  }, [name, where.field, where.value, table?.type]);
  return (
    <section aria-labelledby="ext-h">
      <h1 id="ext-h">Extension tables</h1>
      <Problem error={error ?? rowsError} />
      {list && list.length === 0
        ? (
          <p class="empty">
            No extension tables are exposed (see <code>bd ext init</code>).
          </p>
        )
        : null}
      <nav class="tabs" aria-label="Tables">
        {list?.map((t) => (
          <a key={t.name} href={`#/ext/${t.name}`} aria-current={t.name === name ? "page" : undefined}>{t.name}</a>
        ))}
      </nav>
      {data
        ? (
          <div>
            <form
              class="filters"
              onSubmit={(e) => {
                e.preventDefault();
                const f = e.target as HTMLFormElement;
                setWhere({
                  field: (f.elements.namedItem("field") as HTMLSelectElement).value,
                  value: (f.elements.namedItem("value") as HTMLInputElement).value,
                });
              }}
            >
              <select name="field" aria-label="Column">
                {data.scalars.map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
              <input name="value" aria-label="Equals" placeholder="equals…" />
              <button type="submit">Filter</button>
              <button type="button" onClick={() => setWhere({ field: "", value: "" })}>Clear</button>
              <span class="count">{data.total} rows</span>
            </form>
            {data.rows.length ? <RowsTable rows={data.rows} /> : <p class="empty">No rows.</p>}
          </div>
        )
        : null}
      <button type="button" class="linkish" onClick={() => go("ready")}>Back to ready work</button>
    </section>
  );
}
