/** @jsxImportSource preact */
/// <reference lib="dom" />
/** Every issue: filters, search, sort, and paging through the cursor connection (50 a page). */
import { useRef, useState } from "preact/hooks";
import { gql } from "../gql.ts";
import { CARD, type Card, choices, VOCABULARY, type Vocabulary } from "../data.ts";
import { go } from "../state.ts";
import { IssueRow, Problem, useListKeys, useLive } from "./common.tsx";

const SORTS = [["PRIORITY", "priority"], ["CREATED_AT", "created"], ["UPDATED_AT", "updated"], ["ID", "ID"], [
  "TITLE",
  "title",
]];

export function ListView() {
  const [f, setF] = useState({ status: "", type: "", priority: "", assignee: "", label: "", q: "" });
  const [sort, setSort] = useState({ field: "PRIORITY", direction: "ASC" });
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const after = pages[pages.length - 1];
  const search = useRef<HTMLInputElement>(null);
  const filter: Record<string, unknown> = {};
  if (f.status === "all") filter.includeClosed = true;
  else if (f.status) filter.status = [f.status];
  if (f.type) filter.issueType = [f.type];
  if (f.priority) filter.priority = [Number(f.priority)];
  if (f.assignee) filter.assignee = f.assignee;
  if (f.label) filter.labels = [f.label];
  if (f.q) filter.titleContains = f.q;
  const key = JSON.stringify([filter, sort, after]);
  const { data, error } = useLive(
    () =>
      gql(
        `query($f: IssueFilter, $o: IssueOrder, $a: String) { issues(filter: $f, orderBy: $o, first: 50, after: $a) {
          totalCount pageInfo { hasNextPage endCursor } nodes { ${CARD} } } ${VOCABULARY} }`,
        { f: filter, o: sort, a: after },
      ),
    [key],
  );
  const nodes: Card[] = data?.issues.nodes ?? [];
  const words: Vocabulary = data ?? { statuses: [], issueTypes: [] };
  const statuses = choices(words.statuses.map((s) => s.name), f.status && f.status !== "all" ? f.status : undefined);
  const types = choices(words.issueTypes, f.type || undefined);
  const sel = useListKeys(nodes.length, (n) => go(`issue/${nodes[n].id}`));
  const set = (k: string) => (e: Event) => {
    setF({ ...f, [k]: (e.target as HTMLInputElement).value });
    setPages([null]);
  };
  (globalThis as unknown as { focusSearch?: () => void }).focusSearch = () => search.current?.focus();
  return (
    <section aria-labelledby="list-h">
      <h1 id="list-h">
        Issues <span class="count">{data ? data.issues.totalCount : "…"}</span>
      </h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <input
          ref={search}
          type="search"
          placeholder="Search titles (/)"
          aria-label="Search titles"
          value={f.q}
          onInput={set("q")}
        />
        <select aria-label="Status" value={f.status} onChange={set("status")}>
          <option value="">not closed</option>
          <option value="all">all</option>
          {statuses.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <select aria-label="Type" value={f.type} onChange={set("type")}>
          <option value="">any type</option>
          {types.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <select aria-label="Priority" value={f.priority} onChange={set("priority")}>
          <option value="">any priority</option>
          {[0, 1, 2, 3, 4].map((p) => <option key={p} value={p}>P{p}</option>)}
        </select>
        <input aria-label="Assignee" placeholder="assignee" value={f.assignee} onChange={set("assignee")} />
        <input aria-label="Label" placeholder="label" value={f.label} onChange={set("label")} />
        <select
          aria-label="Sort"
          value={`${sort.field} ${sort.direction}`}
          onChange={(e) => {
            const [field, direction] = (e.target as HTMLSelectElement).value.split(" ");
            setSort({ field, direction });
            setPages([null]);
          }}
        >
          {SORTS.flatMap(([v, label]) => [
            <option key={v + "a"} value={`${v} ASC`}>{label} ↑</option>,
            <option key={v + "d"} value={`${v} DESC`}>{label} ↓</option>,
          ])}
        </select>
      </form>
      <Problem error={error} />
      <ul class="rows">{nodes.map((i, n) => <IssueRow key={i.id} i={i} selected={n === sel} />)}</ul>
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={pages.length < 2} onClick={() => setPages(pages.slice(0, -1))}>
          ← Previous
        </button>
        <span>page {pages.length}</span>
        <button
          type="button"
          disabled={!data?.issues.pageInfo.hasNextPage}
          onClick={() => setPages([...pages, data.issues.pageInfo.endCursor])}
        >
          Next →
        </button>
      </nav>
    </section>
  );
}
