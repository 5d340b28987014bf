/** @jsxImportSource preact */
/// <reference lib="dom" />
/** The board: Ready, Blocked, In progress, Closed (recent); move a card (drag, or arrow keys) to change its status. */
import { gql } from "../gql.ts";
import { CARD, type Card, setStatus } from "../data.ts";
import { Lease, Priority, Problem, useLive } from "./common.tsx";

type BoardCard = Card & { blockedBy?: { id: string; title: string }[] };
const COLUMNS = [
  { key: "ready", title: "Ready", status: "open" },
  { key: "blocked", title: "Blocked", status: "blocked" },
  { key: "progress", title: "In progress", status: "in_progress" },
  { key: "closed", title: "Closed (recent)", status: "closed" },
] as const;

const QUERY = `query($done: [String!]) {
  ready(limit: 100) { ${CARD} }
  blocked(limit: 100) { ${CARD} blockedBy { id title } }
  held: issues(filter: { status: ["blocked"] }, first: 100) { nodes { ${CARD} } }
  progress: issues(filter: { status: ["in_progress"] }, first: 100) { nodes { ${CARD} } }
  closed: issues(filter: { status: $done }, orderBy: { field: UPDATED_AT, direction: DESC }, first: 20) { nodes { ${CARD} } }
}`;

/** The board's issues; the last column holds every finished status (closed, and custom `done` ones). */
async function load() {
  const words = await gql(`{ statuses { name category } }`);
  const done = words.statuses.filter((s: { category: string }) => s.category === "done").map((s: { name: string }) =>
    s.name
  );
  return gql(QUERY, { done });
}

export function BoardView() {
  const { data, error } = useLive(load);
  const columns: Record<string, BoardCard[]> = data
    ? {
      ready: data.ready,
      // Waiting on blockers, and marked blocked by hand (status blocked, nothing open blocking it).
      blocked: [
        ...data.blocked,
        ...data.held.nodes.filter((h: Card) => !data.blocked.some((b: Card) => b.id === h.id)),
      ],
      progress: data.progress.nodes,
      closed: data.closed.nodes,
    }
    : {};
  const move = (card: BoardCard, to: number) => {
    const target = COLUMNS[to];
    if (!target || columnOf(columns, card.id) === target.key) return;
    setStatus(card.id, target.status);
  };
  return (
    <section aria-labelledby="board-h">
      <h1 id="board-h">Board</h1>
      <p class="hint">Drag a card to another column, or focus it and press ← / → to move it.</p>
      <Problem error={error} />
      <div class="board">
        {COLUMNS.map((col, c) => (
          <div
            class={`column ${col.key}`}
            key={col.key}
            role="region"
            aria-label={col.title}
            data-column={col.key}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              const id = e.dataTransfer?.getData("text/plain");
              const card = Object.values(columns).flat().find((x) => x.id === id);
              if (card) move(card, c);
            }}
          >
            <h2>
              {col.title} <span class="count">{columns[col.key]?.length ?? "…"}</span>
            </h2>
            <ul class="cards">
              {(columns[col.key] ?? []).map((card) => (
                <li
                  key={card.id}
                  class="card"
                  tabIndex={0}
                  draggable
                  data-id={card.id}
                  aria-label={`${card.id} ${card.title}. Press left or right arrow to move it.`}
                  onDragStart={(e) => e.dataTransfer?.setData("text/plain", card.id)}
                  onKeyDown={(e) => {
                    if (e.key === "ArrowRight") move(card, c + 1);
                    else if (e.key === "ArrowLeft") move(card, c - 1);
                    else if (e.key === "Enter") location.hash = `#/issue/${card.id}`;
                  }}
                >
                  <a href={`#/issue/${encodeURIComponent(card.id)}`} class="id">{card.id}</a>{" "}
                  <Priority p={card.priority} />
                  <div class="title">{card.title}</div>
                  {card.assignee && card.status === "in_progress"
                    ? (
                      <div class="holder">
                        @{card.assignee} <Lease i={card} />
                      </div>
                    )
                    : null}
                  {card.blockedBy?.length
                    ? (
                      <div class="blockers">
                        blocked by {card.blockedBy.map((b) => <a key={b.id} href={`#/issue/${b.id}`}>{b.id}</a>)}
                      </div>
                    )
                    : null}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}

function columnOf(columns: Record<string, BoardCard[]>, id: string): string | undefined {
  return Object.entries(columns).find(([, cards]) => cards.some((c) => c.id === id))?.[0];
}
