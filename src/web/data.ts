/// <reference lib="dom" />
/** The queries and mutations the views use: one place for each, all through the GraphQL API. */
import { ensureActor, gql, type Json } from "./gql.ts";
import { changed, say } from "./state.ts";

export const CARD =
  "id title status statusCategory priority issueType assignee leaseExpiresAt isReady isBlocked labels";

/** The words the workspace accepts (built in and configured): for status and type pickers. */
export const VOCABULARY = "statuses { name category custom } issueTypes";

export interface Vocabulary {
  statuses: { name: string; category: string; custom: boolean }[];
  issueTypes: string[];
}

/** The choices for a picker: the workspace's words, plus the current value when nothing configures it. */
export function choices(words: string[], current?: string): string[] {
  return current && !words.includes(current) ? [...words, current] : words;
}

export interface Card {
  id: string;
  title: string;
  status: string;
  /** active, wip, done, frozen or unspecified (GraphQL Issue.statusCategory). */
  statusCategory?: string;
  priority: number;
  issueType: string;
  assignee?: string | null;
  /** When the claim's lease lapses (null: no lease). */
  leaseExpiresAt?: string | null;
  isReady: boolean;
  isBlocked: boolean;
  labels: string[];
}

/** Runs a write; reports its error on the page instead of throwing; returns the data or null. */
export async function write<T = Json>(
  query: string,
  variables: Record<string, unknown>,
  done?: string,
): Promise<T | null> {
  await ensureActor(); // every write carries an actor (X-BD-Actor)
  try {
    const data = await gql<T>(query, variables);
    if (done) say(done);
    changed();
    return data;
  } catch (e) {
    say(e instanceof Error ? e.message : String(e), true);
    return null;
  }
}

export const setStatus = (id: string, status: string) =>
  status === "closed"
    ? write(`mutation($id: ID!) { closeIssue(input: { id: $id }) { issue { id } } }`, { id }, `Closed ${id}`)
    : write(
      `mutation($id: ID!, $s: String!) { updateIssue(input: { id: $id, status: $s }) { issue { id } } }`,
      { id, s: status },
      `${id} is now ${status.replace("_", " ")}`,
    );

export const claim = (id: string) =>
  write(`mutation($id: ID!) { claimIssue(input: { id: $id }) { issue { id assignee } } }`, { id }, `Claimed ${id}`);

export const createIssue = (input: Record<string, unknown>) =>
  write<{ createIssue: { issue: { id: string } } }>(
    `mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { id } } }`,
    { input },
  );

/** A GraphQL type as introspection describes it (fields with their unwrapped types). */
export interface TypeInfo {
  name: string;
  fields: { name: string; kind: string; type: string; list: boolean; args: string[] }[];
}

const typeCache = new Map<string, Promise<TypeInfo | null>>();

/** Reads a type's fields by introspection (cached): how the page finds the extension tables. */
export function typeInfo(name: string): Promise<TypeInfo | null> {
  let p = typeCache.get(name);
  if (!p) {
    p = gql(
      `query($n: String!) { __type(name: $n) { name fields { name args { name } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }`,
      { n: name },
    ).then((d) => {
      const t = d.__type;
      if (!t) return null;
      return {
        name: t.name,
        fields: t.fields.map((f: Json) => {
          let ty = f.type, list = false;
          while (ty.ofType) {
            if (ty.kind === "LIST") list = true;
            ty = ty.ofType;
          }
          return { name: f.name, kind: ty.kind, type: ty.name, list, args: f.args.map((a: Json) => a.name) };
        }),
      };
    });
    typeCache.set(name, p);
  }
  return p;
}

/** Issue's fields that come from bd itself; the others are extension tables. */
export const CORE_ISSUE_FIELDS = new Set([
  "id",
  "title",
  "description",
  "design",
  "acceptanceCriteria",
  "notes",
  "status",
  "statusCategory",
  "priority",
  "issueType",
  "assignee",
  "owner",
  "estimatedMinutes",
  "createdAt",
  "createdBy",
  "updatedAt",
  "closedAt",
  "closeReason",
  "dueAt",
  "deferUntil",
  "externalRef",
  "extra",
  "labels",
  "dependencies",
  "dependents",
  "blockedBy",
  "blocks",
  "parent",
  "children",
  "comments",
  "events",
  "isReady",
  "isBlocked",
]);

/** A selection of a type's scalar fields, with one level of nested lists (checkpoints of executions). */
export async function selectionOf(typeName: string, depth = 1): Promise<string> {
  const t = await typeInfo(typeName);
  if (!t) return "__typename";
  const parts: string[] = [];
  for (const f of t.fields) {
    if (f.args.length && f.kind !== "SCALAR") continue;
    if (f.kind === "SCALAR" || f.kind === "ENUM") parts.push(f.name);
    else if (f.kind === "OBJECT" && f.list && depth > 0 && f.type !== "Issue") {
      parts.push(`${f.name} { ${await selectionOf(f.type, depth - 1)} }`);
    }
  }
  return parts.join(" ") || "__typename";
}
