/** @jsxImportSource preact */
/// <reference lib="dom" />
/**
 * One issue: every field (edited in place), labels, comments, dependencies and dependents (added
 * and removed with their type), children with progress, the event history, and the issue's rows
 * in every extension table (found by introspection).
 */
import { useState } from "preact/hooks";
import { gql, type Json } from "../gql.ts";
import { choices, CORE_ISSUE_FIELDS, selectionOf, typeInfo, VOCABULARY, type Vocabulary, write } from "../data.ts";
import { Lease, Priority, Problem, Status, useLive } from "./common.tsx";

const FIELDS =
  `id title description design acceptanceCriteria notes status statusCategory priority issueType assignee leaseExpiresAt owner
  estimatedMinutes createdAt createdBy updatedAt closedAt closeReason dueAt deferUntil externalRef extra labels
  isReady isBlocked parent { id title }
  dependencies { type dependsOnId createdAt dependsOn { id title status statusCategory } }
  dependents { type issueId issue { id title status statusCategory } }
  children { id title status statusCategory priority }
  comments { id author text createdAt }
  events { id eventType actor oldValue newValue createdAt }`;

/** The extension tables' fields on Issue, with a selection of their columns. */
async function extensionSelection(): Promise<{ name: string; selection: string }[]> {
  const issue = await typeInfo("Issue");
  const out = [];
  for (const f of issue?.fields ?? []) {
    if (CORE_ISSUE_FIELDS.has(f.name) || f.kind !== "OBJECT") continue;
    out.push({ name: f.name, selection: await selectionOf(f.type) });
  }
  return out;
}

async function load(id: string) {
  const ext = await extensionSelection();
  const extFields = ext.map((e) => `${e.name} { ${e.selection} }`).join(" ");
  const data = await gql(`query($id: ID!) { issue(id: $id) { ${FIELDS} ${extFields} } ${VOCABULARY} }`, { id });
  return { issue: data.issue, ext: ext.map((e) => e.name), words: data as Vocabulary };
}

const UPDATE = `mutation($input: UpdateIssueInput!) { updateIssue(input: $input) { issue { id } } }`;

/** A field shown as text; click (or Enter) to edit it in place; saved on Enter / blur. */
function Editable(
  { label, value, field, id, multiline, kind = "text" }: {
    label: string;
    value: string | number | null | undefined;
    field: string;
    id: string;
    multiline?: boolean;
    kind?: "text" | "number";
  },
) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const save = async () => {
    setEditing(false);
    if (draft === String(value ?? "")) return;
    const v = kind === "number" ? (draft === "" ? null : Number(draft)) : draft;
    await write(UPDATE, { input: { id, [field]: v } }, `Saved ${label.toLowerCase()}`);
  };
  const start = () => {
    setDraft(String(value ?? ""));
    setEditing(true);
  };
  return (
    <div class={`field ${multiline ? "long" : ""}`}>
      <span class="field-label">{label}</span>
      {editing
        ? multiline
          ? (
            <textarea
              aria-label={label}
              autoFocus
              value={draft}
              onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
              onBlur={save}
              rows={5}
            />
          )
          : (
            <input
              aria-label={label}
              autoFocus
              value={draft}
              onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
              onBlur={save}
              onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
            />
          )
        : (
          <button type="button" class="value" aria-label={`Edit ${label}`} onClick={start}>
            {value === null || value === undefined || value === "" ? <span class="none">—</span> : String(value)}
          </button>
        )}
    </div>
  );
}

function Choice(
  { label, value, field, id, options }: {
    label: string;
    value: string | number;
    field: string;
    id: string;
    options: (string | number)[];
  },
) {
  return (
    <div class="field">
      <span class="field-label">{label}</span>
      <select
        aria-label={label}
        value={String(value)}
        onChange={(e) => {
          const raw = (e.target as HTMLSelectElement).value;
          const v = typeof value === "number" ? Number(raw) : raw;
          if (field === "status" && v === "closed") {
            write(
              `mutation($id: ID!) { closeIssue(input: { id: $id }) { issue { id } } }`,
              { id },
              "Closed",
            );
          } else write(UPDATE, { input: { id, [field]: v } }, `Saved ${label.toLowerCase()}`);
        }}
      >
        {options.map((o) => <option key={o} value={String(o)}>{typeof o === "number" ? `P${o}` : o}</option>)}
      </select>
    </div>
  );
}

export function IssueView({ id }: { id: string }) {
  const { data, error, stale } = useLive(() => load(id), [id]);
  const [label, setLabel] = useState("");
  const [comment, setComment] = useState("");
  const [dep, setDep] = useState({ target: "", type: "blocks" });
  if (error && !stale) return <Problem error={error} />;
  if (!data || stale) return <p class="loading">Loading {id}…</p>;
  const i = data.issue;
  if (!i) return <p class="problem">No issue {id}.</p>;
  const closedKids = i.children.filter((c: Json) => c.status === "closed" || c.statusCategory === "done").length;
  return (
    <article class="issue" aria-labelledby="issue-h">
      <header>
        <h1 id="issue-h">
          <span class="id">{i.id}</span> {i.title}
        </h1>
        <div class="meta">
          <Status i={i} /> <Priority p={i.priority} /> <span class="type">{i.issueType}</span>
        </div>
        <div class="actions">
          {i.status === "closed"
            ? (
              <button
                type="button"
                onClick={() =>
                  write(
                    `mutation($id: ID!) { reopenIssue(input: { id: $id }) { issue { id } } }`,
                    { id: i.id },
                    "Reopened",
                  )}
              >
                Reopen
              </button>
            )
            : (
              <button
                type="button"
                onClick={() =>
                  write(
                    `mutation($id: ID!) { closeIssue(input: { id: $id }) { issue { id } } }`,
                    { id: i.id },
                    "Closed",
                  )}
              >
                Close
              </button>
            )}
          <button
            type="button"
            onClick={() =>
              write(`mutation($id: ID!) { claimIssue(input: { id: $id }) { issue { id } } }`, { id: i.id }, "Claimed")}
          >
            Claim
          </button>
          <a href={`#/graph?id=${encodeURIComponent(i.id)}`}>Graph</a>
        </div>
      </header>
      <div class="fields">
        <Editable label="Title" value={i.title} field="title" id={i.id} />
        <Choice
          label="Status"
          value={i.status}
          field="status"
          id={i.id}
          options={choices(data.words.statuses.map((s) => s.name), i.status)}
        />
        <Choice label="Priority" value={i.priority} field="priority" id={i.id} options={[0, 1, 2, 3, 4]} />
        <Choice
          label="Type"
          value={i.issueType}
          field="issueType"
          id={i.id}
          options={choices(data.words.issueTypes, i.issueType)}
        />
        <Editable label="Assignee" value={i.assignee} field="assignee" id={i.id} />
        {i.assignee && i.status === "in_progress"
          ? (
            <p class="claim">
              Claimed by {i.assignee}
              {i.leaseExpiresAt ? <Lease i={i} /> : " (no lease: the claim does not lapse)"}
            </p>
          )
          : null}
        <Editable label="Owner" value={i.owner} field="owner" id={i.id} />
        <Editable label="Estimate (min)" value={i.estimatedMinutes} field="estimatedMinutes" id={i.id} kind="number" />
        <Editable label="External ref" value={i.externalRef} field="externalRef" id={i.id} />
        <Editable label="Due (RFC 3339)" value={i.dueAt} field="dueAt" id={i.id} />
        <Editable label="Deferred until (RFC 3339)" value={i.deferUntil} field="deferUntil" id={i.id} />
        <Editable label="Description" value={i.description} field="description" id={i.id} multiline />
        <Editable label="Design" value={i.design} field="design" id={i.id} multiline />
        <Editable
          label="Acceptance criteria"
          value={i.acceptanceCriteria}
          field="acceptanceCriteria"
          id={i.id}
          multiline
        />
        <Editable label="Notes" value={i.notes} field="notes" id={i.id} multiline />
        <dl class="facts">
          <dt>Created</dt>
          <dd>{i.createdAt}{i.createdBy ? ` by ${i.createdBy}` : ""}</dd>
          <dt>Updated</dt>
          <dd>{i.updatedAt}</dd>
          {i.closedAt
            ? [<dt key="c">Closed</dt>, <dd key="cd">{i.closedAt}{i.closeReason ? ` — ${i.closeReason}` : ""}</dd>]
            : null}
          {i.parent
            ? [
              <dt key="p">Parent</dt>,
              <dd key="pd">
                <a href={`#/issue/${i.parent.id}`}>{i.parent.id}</a> {i.parent.title}
              </dd>,
            ]
            : null}
          {i.extra
            ? [
              <dt key="x">Other fields</dt>,
              <dd key="xd">
                <code>{JSON.stringify(i.extra)}</code>
              </dd>,
            ]
            : null}
        </dl>
      </div>

      <section aria-labelledby="labels-h">
        <h2 id="labels-h">Labels</h2>
        <ul class="chips">
          {i.labels.map((l: string) => (
            <li key={l} class="label">
              {l}{" "}
              <button
                type="button"
                class="x"
                aria-label={`Remove label ${l}`}
                onClick={() =>
                  write(
                    `mutation($id: ID!, $l: String!) { removeLabel(input: { issueId: $id, label: $l }) { result } }`,
                    { id: i.id, l },
                  )}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (label.trim()) {
              write(`mutation($id: ID!, $l: String!) { addLabel(input: { issueId: $id, label: $l }) { result } }`, {
                id: i.id,
                l: label.trim(),
              }).then(() => setLabel(""));
            }
          }}
        >
          <input
            aria-label="New label"
            placeholder="add a label"
            value={label}
            onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Add</button>
        </form>
      </section>

      <section aria-labelledby="deps-h">
        <h2 id="deps-h">Dependencies</h2>
        <ul class="rows compact">
          {i.dependencies.map((d: Json) => (
            <li key={d.dependsOnId + d.type} class="row">
              <span class="edge">{d.type} →</span>{" "}
              <a href={`#/issue/${encodeURIComponent(d.dependsOnId)}`}>{d.dependsOnId}</a> {d.dependsOn
                ? (
                  <span>
                    {d.dependsOn.title} <Status i={d.dependsOn} />
                  </span>
                )
                : <span class="none">(not in this database)</span>}
              <RemoveEdge
                from={i.id}
                to={d.dependsOnId}
                type={d.type}
                label={`Remove ${d.type} dependency on ${d.dependsOnId}`}
              />
            </li>
          ))}
        </ul>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (dep.target.trim()) {
              write(
                `mutation($a: ID!, $b: ID!, $t: String) { addDependency(input: { issueId: $a, dependsOnId: $b, type: $t }) { dependency { type } } }`,
                { a: i.id, b: dep.target.trim(), t: dep.type },
                "Dependency added",
              ).then((ok) => ok && setDep({ ...dep, target: "" }));
            }
          }}
        >
          <input
            aria-label="Depends on (issue ID)"
            placeholder="depends on…"
            value={dep.target}
            onInput={(e) => setDep({ ...dep, target: (e.target as HTMLInputElement).value })}
          />
          <select
            aria-label="Dependency type"
            value={dep.type}
            onChange={(e) => setDep({ ...dep, type: (e.target as HTMLSelectElement).value })}
          >
            {["blocks", "related", "parent-child", "discovered-from", "duplicates", "supersedes"].map((t) => (
              <option key={t} value={t}>{t}</option>
            ))}
          </select>
          <button type="submit">Add</button>
        </form>
        <h3>Dependents</h3>
        <ul class="rows compact">
          {i.dependents.map((d: Json) => (
            <li key={d.issueId + d.type} class="row">
              <a href={`#/issue/${encodeURIComponent(d.issueId)}`}>{d.issueId}</a> <span class="edge">→ {d.type}</span>
              {" "}
              {d.issue?.title}
              <RemoveEdge
                from={d.issueId}
                to={i.id}
                type={d.type}
                label={`Remove ${d.type} dependency of ${d.issueId}`}
              />
            </li>
          ))}
        </ul>
      </section>

      {i.children.length
        ? (
          <section aria-labelledby="kids-h">
            <h2 id="kids-h">
              Children <span class="count">{closedKids}/{i.children.length} closed</span>
            </h2>
            <progress max={i.children.length} value={closedKids} aria-label="children closed" />
            <ul class="rows compact">
              {i.children.map((c: Json) => (
                <li key={c.id} class="row">
                  <a href={`#/issue/${c.id}`}>{c.id}</a> {c.title} <Status i={c} />
                </li>
              ))}
            </ul>
          </section>
        )
        : null}

      <section aria-labelledby="comments-h">
        <h2 id="comments-h">Comments</h2>
        {i.comments.map((c: Json) => (
          <blockquote key={c.id} class="comment">
            <p>{c.text}</p>
            <footer>{c.author}, {c.createdAt}</footer>
          </blockquote>
        ))}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (comment.trim()) {
              write(
                `mutation($id: ID!, $t: String!) { addComment(input: { issueId: $id, text: $t }) { comment { id } } }`,
                { id: i.id, t: comment },
                "Comment added",
              ).then(() => setComment(""));
            }
          }}
        >
          <textarea
            aria-label="New comment"
            rows={2}
            value={comment}
            onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
          />
          <button type="submit">Comment</button>
        </form>
      </section>

      {data.ext.map((name) => <ExtensionRows key={name} name={name} rows={i[name]} />)}

      <section aria-labelledby="events-h">
        <h2 id="events-h">History</h2>
        <ol class="events">
          {i.events.map((e: Json) => (
            <li key={e.id}>
              <time>{e.createdAt}</time> {e.actor} {e.eventType.replaceAll("_", " ")}
              {e.newValue && e.eventType !== "created" ? `: ${String(e.newValue).slice(0, 120)}` : ""}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

/** The × that removes one edge (of its type: two issues may be joined by several). */
function RemoveEdge({ from, to, type, label }: { from: string; to: string; type: string; label: string }) {
  const remove = () =>
    write(
      `mutation($a: ID!, $b: ID!, $t: String) { removeDependency(input: { issueId: $a, dependsOnId: $b, type: $t }) { dependency { type } } }`,
      { a: from, b: to, t: type },
    );
  return <button type="button" class="x" aria-label={label} onClick={remove}>×</button>;
}

/** An extension table's rows for this issue (nested lists, e.g. checkpoints, as sub-tables). */
export function ExtensionRows({ name, rows }: { name: string; rows: Json[] | undefined }) {
  return (
    <section aria-label={`Extension ${name}`} class="ext">
      <h2>
        {name} <span class="count">{rows?.length ?? 0}</span>
      </h2>
      {rows?.length ? <RowsTable rows={rows} /> : <p class="empty">No rows.</p>}
    </section>
  );
}

export function RowsTable({ rows }: { rows: Json[] }) {
  const cols = Object.keys(rows[0] ?? {}).filter((k) => k !== "__typename");
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>{cols.map((c) => <th key={c} scope="col">{c}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r, n) => (
            <tr key={n}>
              {cols.map((c) => (
                <td key={c}>
                  {Array.isArray(r[c])
                    ? (r[c].length ? <RowsTable rows={r[c]} /> : "—")
                    : (c === "issueId" || c === "issue_id") && r[c]
                    ? <a href={`#/issue/${encodeURIComponent(r[c])}`}>{r[c]}</a>
                    : typeof r[c] === "object" && r[c] !== null
                    ? <code>{JSON.stringify(r[c])}</code>
                    : String(r[c] ?? "—")}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
