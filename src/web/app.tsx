/** @jsxImportSource preact */
/// <reference lib="dom" />
/**
 * bd's web UI: the page `bd serve` gives at `/`. Every read and write goes through the GraphQL API
 * (gql.ts); the views follow issueEvents, so a change from any process shows within a second.
 * Keys: j/k move, Enter opens, / searches, c creates, g then r/t/b/l/e/x/v switches views.
 */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { actor, actorWanted, liveState, needsToken, setActor, setToken, type SyncHealth, syncHealth } from "./gql.ts";
import { createIssue } from "./data.ts";
import { changed, go, lastEvent, route, say, startLive, toast } from "./state.ts";
import { ReadyView } from "./views/ready.tsx";
import { BoardView } from "./views/board.tsx";
import { ListView } from "./views/list.tsx";
import { IssueView } from "./views/issue.tsx";
import { EpicsView } from "./views/epics.tsx";
import { GraphView } from "./views/graph.tsx";
import { ExtensionsView } from "./views/ext.tsx";
import { TriageView } from "./views/triage.tsx";

const NAV: [string, string, string][] = [
  ["ready", "Ready", "r"],
  ["triage", "Triage", "t"],
  ["board", "Board", "b"],
  ["list", "List", "l"],
  ["epics", "Epics", "e"],
  ["graph", "Graph", "v"],
  ["ext", "Extensions", "x"],
];

function CreateDialog({ onClose }: { onClose: () => void }) {
  const [f, setF] = useState({ title: "", issueType: "task", priority: "2", description: "" });
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!f.title.trim()) return;
    const r = await createIssue({
      title: f.title,
      issueType: f.issueType,
      priority: Number(f.priority),
      description: f.description || undefined,
    });
    if (r) {
      onClose();
      say(`Created ${r.createIssue.issue.id}`);
      go(`issue/${r.createIssue.issue.id}`);
    }
  };
  return (
    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="create-h">
      <form onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onClose()}>
        <h2 id="create-h">New issue</h2>
        <label>
          Title{" "}
          <input
            name="title"
            autoFocus
            required
            maxLength={500}
            value={f.title}
            onInput={(e) => setF({ ...f, title: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label>
          Type
          <select
            name="type"
            value={f.issueType}
            onChange={(e) => setF({ ...f, issueType: (e.target as HTMLSelectElement).value })}
          >
            {["task", "bug", "feature", "epic", "chore", "decision"].map((t) => <option key={t}>{t}</option>)}
          </select>
        </label>
        <label>
          Priority
          <select
            name="priority"
            value={f.priority}
            onChange={(e) => setF({ ...f, priority: (e.target as HTMLSelectElement).value })}
          >
            {[0, 1, 2, 3, 4].map((p) => <option key={p} value={p}>P{p}</option>)}
          </select>
        </label>
        <label>
          Description{" "}
          <textarea
            name="description"
            rows={4}
            value={f.description}
            onInput={(e) => setF({ ...f, description: (e.target as HTMLTextAreaElement).value })}
          />
        </label>
        <div class="buttons">
          <button type="submit">Create</button> <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </div>
  );
}

/** Asks once for a value (the actor's name, or the server's token) and keeps it. */
function AskDialog(
  { title, label, secret, onDone }: { title: string; label: string; secret?: boolean; onDone: (v: string) => void },
) {
  const [v, setV] = useState("");
  return (
    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="ask-h">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (v.trim()) onDone(v);
        }}
      >
        <h2 id="ask-h">{title}</h2>
        <label>
          {label}{" "}
          <input
            name="answer"
            type={secret ? "password" : "text"}
            autoFocus
            value={v}
            onInput={(e) => setV((e.target as HTMLInputElement).value)}
          />
        </label>
        <div class="buttons">
          <button type="submit">Continue</button>
        </div>
      </form>
    </div>
  );
}

function App() {
  const [creating, setCreating] = useState(false);
  useEffect(() => startLive(), []);
  // The server's git rounds (bd serve --sync-every), asked now and then; nothing when it does not sync.
  const [sync, setSync] = useState<SyncHealth | null>(null);
  useEffect(() => {
    const ask = () => void syncHealth().then(setSync);
    ask();
    const every = setInterval(ask, 15_000);
    return () => clearInterval(every);
  }, []);
  useEffect(() => {
    let prefix = false;
    const onKey = (e: KeyboardEvent) => {
      if (
        (e.target as HTMLElement)?.closest("input, textarea, select, [role=dialog]") || e.ctrlKey || e.metaKey ||
        e.altKey
      ) return;
      if (prefix) {
        prefix = false;
        const hit = NAV.find(([, , k]) => k === e.key);
        if (hit) go(hit[0]);
        return;
      }
      if (e.key === "g") prefix = true;
      else if (e.key === "c") {
        e.preventDefault();
        setCreating(true);
      } else if (e.key === "/") {
        e.preventDefault();
        if (route.value.view !== "list") go("list");
        setTimeout(() => (globalThis as unknown as { focusSearch?: () => void }).focusSearch?.(), 50);
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);
  const r = route.value;
  const view = r.view === "issue" && r.arg
    ? <IssueView id={r.arg} />
    : r.view === "board"
    ? <BoardView />
    : r.view === "list"
    ? <ListView />
    : r.view === "epics"
    ? <EpicsView />
    : r.view === "graph"
    ? <GraphView />
    : r.view === "ext"
    ? <ExtensionsView />
    : r.view === "triage"
    ? <TriageView />
    : <ReadyView />;
  return (
    <div class="app">
      <header class="top">
        <a class="brand" href="#/ready">bd</a>
        <nav aria-label="Views">
          {NAV.map(([v, label]) => (
            <a key={v} href={`#/${v}`} aria-current={r.view === v ? "page" : undefined}>{label}</a>
          ))}
        </nav>
        <button type="button" class="new" onClick={() => setCreating(true)} aria-keyshortcuts="c">+ New</button>
        <span class={`live ${liveState.value}`} role="status" aria-label={`updates: ${liveState.value}`}>
          {liveState.value === "live" ? "● live" : liveState.value === "connecting" ? "○ connecting" : "○ offline"}
        </span>
      </header>
      <main>{view}</main>
      <footer class="status-line" aria-live="polite">
        {lastEvent.value
          ? `Last change: ${lastEvent.value.issueId} ${
            lastEvent.value.eventType.replaceAll("_", " ")
          } by ${lastEvent.value.actor}`
          : ""}
        {actor.value
          ? (
            <span>
              {lastEvent.value ? " · acting as " : "Acting as "}
              <button type="button" class="linkish" onClick={() => setActor("")}>{actor.value}</button>
            </span>
          )
          : null}
        {sync ? <SyncLine sync={sync} /> : null}
      </footer>
      {toast.value
        ? <div class={`toast ${toast.value.error ? "error" : ""}`} role="alert">{toast.value.text}</div>
        : null}
      {creating ? <CreateDialog onClose={() => setCreating(false)} /> : null}
      {actorWanted.value
        ? <AskDialog title="Who is making changes?" label="Your name (recorded as the actor)" onDone={setActor} />
        : null}
      {needsToken.value
        ? (
          <AskDialog
            title="This server needs a token"
            label="Token"
            secret
            onDone={(v) => {
              setToken(v);
              changed();
            }}
          />
        )
        : null}
    </div>
  );
}

render(<App />, document.getElementById("app")!);

/** The footer's word on git: when it last synced, or the error of the failing rounds. */
function SyncLine({ sync }: { sync: SyncHealth }) {
  if (sync.last_error) {
    return <span class="sync failing" title={sync.last_error}>{` · git sync failing: ${sync.last_error}`}</span>;
  }
  const at = sync.last_ok_at
    ? new Date(sync.last_ok_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : "";
  return <span class="sync">{at ? ` · git synced ${at}` : " · git sync pending"}</span>;
}
