/** @jsxImportSource preact */
/// <reference lib="dom" />
/** Ready work, in `bd ready`'s order, with claim. */
import { gql } from "../gql.ts";
import { CARD, type Card, claim } from "../data.ts";
import { go } from "../state.ts";
import { IssueRow, Problem, useListKeys, useLive } from "./common.tsx";

export function ReadyView() {
  const { data, error } = useLive(() => gql<{ ready: Card[] }>(`{ ready(limit: 100) { ${CARD} } }`));
  const issues = data?.ready ?? [];
  const sel = useListKeys(issues.length, (n) => go(`issue/${issues[n].id}`));
  return (
    <section aria-labelledby="ready-h">
      <h1 id="ready-h">
        Ready work <span class="count">{data ? issues.length : "…"}</span>
      </h1>
      <p class="hint">
        Open, not blocked, not deferred — in the order <code>bd ready</code> gives.
      </p>
      <Problem error={error} />
      {data && issues.length === 0 ? <p class="empty">No ready work.</p> : null}
      <ul class="rows">
        {issues.map((i, n) => (
          <IssueRow
            key={i.id}
            i={i}
            selected={n === sel}
            extra={
              <button type="button" class="small" onClick={() => claim(i.id)} aria-label={`Claim ${i.id}`}>
                Claim
              </button>
            }
          />
        ))}
      </ul>
    </section>
  );
}
