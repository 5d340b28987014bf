/** @jsxImportSource preact */
/// <reference lib="dom" />
/** Epics with the progress of their children; close the ones whose children are all done. */
import { gql } from "../gql.ts";
import { write } from "../data.ts";
import { Problem, Status, useLive } from "./common.tsx";

export function EpicsView() {
  const { data, error } = useLive(() =>
    gql(
      `{ issues(filter: { issueType: ["epic"] }, first: 100) { nodes { id title status isReady isBlocked children { id status } } } }`,
    )
  );
  const epics = data?.issues.nodes ?? [];
  const eligible = epics.filter((e: { children: { status: string }[] }) =>
    e.children.length > 0 && e.children.every((c) => c.status === "closed")
  );
  return (
    <section aria-labelledby="epics-h">
      <h1 id="epics-h">
        Epics <span class="count">{data ? epics.length : "…"}</span>
      </h1>
      <Problem error={error} />
      <button
        type="button"
        disabled={eligible.length === 0}
        onClick={() => write(`mutation { closeEligibleEpics { id } }`, {}, `Closed ${eligible.length} epic(s)`)}
      >
        Close {eligible.length} eligible epic(s)
      </button>
      <ul class="rows">
        {epics.map((e: { id: string; title: string; status: string; children: { status: string }[] }) => {
          const done = e.children.filter((c) => c.status === "closed").length;
          const pct = e.children.length ? Math.round((done * 100) / e.children.length) : 0;
          return (
            <li class="row" key={e.id}>
              <a href={`#/issue/${encodeURIComponent(e.id)}`} class="row-link">
                <span class="id">{e.id}</span> <span class="title">{e.title}</span>
              </a>
              <span class="meta">
                <Status i={e} />
                <progress max={100} value={pct} aria-label={`${done} of ${e.children.length} children closed`} />
                <span>{done}/{e.children.length}</span>
                {eligible.includes(e) ? <span class="badge">eligible for close</span> : null}
                <a href={`#/graph?id=${encodeURIComponent(e.id)}`}>graph</a>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
