/** @jsxImportSource preact */
/// <reference lib="dom" />
/**
 * Triage, as `bd triage`: the critical path (drawn in the Graph view), the bottlenecks and quick
 * wins with a Claim button, stale work, cycles and epics. Live like the other views.
 */
import { gql } from "../gql.ts";
import { CARD, type Card, claim } from "../data.ts";
import { IssueRow, Problem, useLive } from "./common.tsx";

interface Impact {
  issue: Card;
  unblocks: number;
  blocks: { id: string }[];
}

interface TriageData {
  open: number;
  ready: number;
  blocked: number;
  inProgress: number;
  criticalPath: Card[];
  bottlenecks: Impact[];
  quickWins: Impact[];
  stale: Card[];
  cycles: { id: string }[][];
  epics: { epic: Card; remaining: number; criticalPathLength: number }[];
}

const QUERY = `{ triage(limit: 15) {
  open ready blocked inProgress
  criticalPath { ${CARD} }
  bottlenecks { issue { ${CARD} } unblocks blocks { id } }
  quickWins { issue { ${CARD} } unblocks blocks { id } }
  stale { ${CARD} updatedAt }
  cycles { id }
  epics { epic { ${CARD} } remaining criticalPathLength }
} }`;

/** Claim, for a ready issue (as on the Ready view). */
function ClaimButton({ i }: { i: Card }) {
  if (!i.isReady) return null;
  return (
    <button type="button" class="small" onClick={() => claim(i.id)} aria-label={`Claim ${i.id}`}>
      Claim
    </button>
  );
}

function ImpactList({ rows, empty, label }: { rows: Impact[]; empty: string; label: string }) {
  if (rows.length === 0) return <p class="empty">{empty}</p>;
  return (
    <ul class="rows" aria-label={label}>
      {rows.map((b) => (
        <IssueRow
          key={b.issue.id}
          i={b.issue}
          extra={
            <>
              <span class="unblocks" title={`blocks directly: ${b.blocks.map((x) => x.id).join(" ")}`}>
                unblocks {b.unblocks}
              </span>
              <ClaimButton i={b.issue} />
            </>
          }
        />
      ))}
    </ul>
  );
}

export function TriageView() {
  const { data, error } = useLive(() => gql<{ triage: TriageData }>(QUERY));
  const t = data?.triage;
  return (
    <section aria-labelledby="triage-h" class="triage">
      <h1 id="triage-h">Triage</h1>
      <p class="hint">
        What to work on to unblock the most, as <code>bd triage</code>{" "}
        gives it: an issue blocks those that depend on it and, through a blocked parent, its children.
      </p>
      <Problem error={error} />
      {t
        ? (
          <>
            <p class="summary" role="status">
              <b>{t.open}</b> open · <b>{t.ready}</b> ready · <b>{t.blocked}</b> blocked · <b>{t.inProgress}</b>{" "}
              in progress
            </p>
            <h2>
              Critical path <span class="count">{t.criticalPath.length}</span>{" "}
              {t.criticalPath.length > 1 ? <a href="#/graph?critical=1" class="small">Show in the graph</a> : null}
            </h2>
            {t.criticalPath.length
              ? (
                <ol class="rows path" aria-label="Critical path">
                  {t.criticalPath.map((i, n) => (
                    <IssueRow
                      key={i.id}
                      i={i}
                      extra={
                        <>
                          <span class="step">step {n + 1}</span>
                          <ClaimButton i={i} />
                        </>
                      }
                    />
                  ))}
                </ol>
              )
              : <p class="empty">No open issues.</p>}
            <h2>Bottlenecks</h2>
            <ImpactList rows={t.bottlenecks} empty="Nothing blocks anything." label="Bottlenecks" />
            <h2>Quick wins</h2>
            <ImpactList rows={t.quickWins} empty="No ready issue unblocks anything." label="Quick wins" />
            {t.stale.length
              ? (
                <>
                  <h2>Stale work</h2>
                  <ul class="rows" aria-label="Stale work">{t.stale.map((i) => <IssueRow key={i.id} i={i} />)}</ul>
                </>
              )
              : null}
            {t.cycles.length
              ? (
                <>
                  <h2>Cycles</h2>
                  <ul class="cycles">
                    {t.cycles.map((c) => <li key={c[0].id}>{[...c, c[0]].map((x) => x.id).join(" → ")}</li>)}
                  </ul>
                </>
              )
              : null}
            {t.epics.length
              ? (
                <>
                  <h2>Epics</h2>
                  <ul class="rows" aria-label="Epics">
                    {t.epics.map((e) => (
                      <IssueRow
                        key={e.epic.id}
                        i={e.epic}
                        extra={
                          <span class="unblocks">
                            {e.remaining} open · path {e.criticalPathLength}{" "}
                            <a href={`#/graph?id=${encodeURIComponent(e.epic.id)}`}>graph</a>
                          </span>
                        }
                      />
                    ))}
                  </ul>
                </>
              )
              : null}
          </>
        )
        : error
        ? null
        : <p class="loading">Loading…</p>}
    </section>
  );
}
