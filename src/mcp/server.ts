/**
 * bd's MCP server (Model Context Protocol): the tools of beads-mcp, by its names and parameters,
 * each a thin call into the same service layer as the CLI and GraphQL. Lean by design: one-line
 * descriptions, compact issue records; the long guidance is the `beads://primer` resource.
 * Front ends: stdio (`bd mcp`, stdio.ts) and Streamable HTTP on `bd serve` (`/mcp`, http.ts).
 */
import { dirname, resolve } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { Beads } from "../core/service.ts";
import { primer, primerText } from "../core/primer.ts";
import { BdError } from "../model/errors.ts";
import type { Issue, IssueFilter, ReadySort } from "../model/types.ts";
import { VERSION } from "../version.ts";
import { locateWorkspace } from "../core/workspace.ts";
import { parseDepSpec } from "../core/dependencies.ts";
import { claimLease, heartbeat } from "../core/leases.ts";
import process from "node:process";

export interface McpOptions {
  /** Offer only the tools that read. */
  readonly?: boolean;
  /** The service view for one call (an HTTP request's actor); default: `beads` itself. */
  viewFor?: (beads: Beads) => Beads;
}

/** The compact record every tool returns: enough to act on, nothing an agent must wade through. */
function record(i: Issue & { labels?: string[] }): Record<string, unknown> {
  const r: Record<string, unknown> = {
    id: i.id,
    title: i.title,
    status: i.status,
    priority: i.priority,
    issue_type: i.issue_type,
  };
  if (i.assignee) r.assignee = i.assignee;
  if (i.lease_expires_at) r.lease_expires_at = i.lease_expires_at;
  if (i.labels?.length) r.labels = i.labels;
  return r;
}

// The schema names the one field every record has; the rest (title, status, ...) pass through.
const IssueRecord = z.object({ id: z.string() }).passthrough();
const Issues = { issues: z.array(IssueRecord) };
const One = { issue: IssueRecord };

type Result = {
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: true;
};

/** A tool error: bd's message and error code, as the CLI's JSON errors carry them. */
function toolError(error: string, code: string): Result {
  return { content: [{ type: "text", text: JSON.stringify({ error, code }) }], isError: true };
}

/** Runs a tool body: its answer as JSON text and structured content, or a tool error with bd's code. */
function answer(beads: Beads, opts: McpOptions, body: (b: Beads) => Record<string, unknown>): Result {
  try {
    // A long-running server sees other processes' writes and a pulled JSONL, as GraphQL does.
    beads.checkDatabaseFile();
    beads.refreshFromJsonl();
    const out = body(opts.viewFor ? opts.viewFor(beads) : beads);
    return { content: [{ type: "text", text: JSON.stringify(out) }], structuredContent: out };
  } catch (e) {
    const err = e instanceof BdError ? e : new BdError("INTERNAL", e instanceof Error ? e.message : String(e));
    return toolError(err.message, err.code);
  }
}

const list = <T>(v: T[] | undefined) => (v?.length ? v : undefined);

/** A tool error when `workspaceRoot` names another workspace than the one this server serves. */
function otherWorkspace(beads: Beads, workspaceRoot: string | undefined): Result | undefined {
  if (!workspaceRoot) return undefined;
  let db: string | undefined;
  try {
    db = locateWorkspace({ cwd: resolve(workspaceRoot), env: {} }).dbPath;
  } catch { /* no workspace there: said below */ }
  if (db === beads.paths.dbPath) return undefined;
  const message = `workspace_root ${workspaceRoot} is not the workspace this server serves (${
    dirname(beads.paths.beadsDir)
  }): start bd mcp there (its cwd, --db or BEADS_DIR) for that one`;
  return toolError(message, "VALIDATION");
}

// The arguments as the SDK hands them over, validated against each tool's input schema.
interface Filter {
  priority?: number;
  issue_type?: string;
  assignee?: string;
  labels?: string[];
  labels_any?: string[];
  unassigned?: boolean;
}

interface CreateArgs {
  title: string;
  description?: string;
  design?: string;
  acceptance?: string;
  external_ref?: string;
  priority: number;
  issue_type: string;
  assignee?: string;
  labels?: string[];
  id?: string;
  deps?: string[];
}

/** Builds the server with every tool (only the reading ones with `readonly`). */
export function createMcpServer(beads: Beads, opts: McpOptions = {}): McpServer {
  const server = new McpServer(
    { name: "bd", version: VERSION },
    { instructions: "bd: dependency-aware issues. Start with `ready`; `claim` before work; `close` when done." },
  );
  const run = (body: (b: Beads) => Record<string, unknown>) => answer(beads, opts, body);
  const write = !opts.readonly;
  /**
   * Registers a tool that also takes beads-mcp's `workspace_root`: prompts and configs written for
   * beads-mcp pass it. It must name this server's workspace (or a worktree sharing it); another
   * one is a tool error, never silently answered from this one.
   */
  const tool = <A>(
    name: string,
    config: {
      description: string;
      inputSchema?: Record<string, z.ZodTypeAny>;
      outputSchema: Record<string, z.ZodTypeAny>;
    },
    handler: (args: A) => Result,
  ) =>
    server.registerTool(
      name,
      { ...config, inputSchema: { ...(config.inputSchema ?? {}), workspace_root: z.string().optional() } },
      (args: Record<string, unknown>) =>
        otherWorkspace(beads, args.workspace_root as string | undefined) ?? handler(args as A),
    );

  server.registerResource(
    "primer",
    "beads://primer",
    { description: "The bd workflow for agents (bd prime), with this workspace's memories", mimeType: "text/markdown" },
    (uri: URL) => ({ contents: [{ uri: uri.href, mimeType: "text/markdown", text: primerText(primer(beads)) }] }),
  );

  const filterShape = {
    priority: z.number().int().min(0).max(4).optional(),
    issue_type: z.string().optional(),
    assignee: z.string().optional(),
    labels: z.array(z.string()).optional(),
    labels_any: z.array(z.string()).optional(),
    unassigned: z.boolean().optional(),
  };
  const filterOf = (a: Filter): IssueFilter => ({
    priority: a.priority === undefined ? undefined : [a.priority],
    type: a.issue_type ? [a.issue_type] : undefined,
    assignee: a.assignee,
    labels: list(a.labels),
    labelsAny: list(a.labels_any),
    unassigned: a.unassigned || undefined,
  });

  tool("ready", {
    description: "Ready work: open, unblocked, not deferred",
    inputSchema: {
      limit: z.number().int().min(1).max(100).default(10),
      ...filterShape,
      sort_policy: z.enum(["hybrid", "priority", "oldest", "impact"]).optional(),
    },
    outputSchema: Issues,
  }, (a: Filter & { limit: number; sort_policy?: string }) =>
    run((b) => ({
      issues: b.ready({
        ...filterOf(a),
        sort: (a.sort_policy ?? "hybrid") as ReadySort,
        limit: a.limit,
        withLabels: true,
      }).map(record),
    })));

  tool("list", {
    description: 'List issues (status "all" for every status); query matches titles',
    inputSchema: {
      status: z.string().optional(),
      ...filterShape,
      query: z.string().optional(),
      limit: z.number().int().min(1).max(100).default(20),
    },
    outputSchema: Issues,
  }, (a: Filter & { status?: string; query?: string; limit: number }) =>
    run((b) => ({
      issues: b.list(
        {
          ...filterOf(a),
          status: a.status === "all" ? undefined : a.status ? [a.status] : undefined,
          includeClosed: a.status === "all" || undefined,
          titleContains: a.query,
        },
        { limit: a.limit },
      ).issues.map((i) => record({ ...i, labels: b.labelsFor([i.id]).get(i.id) })),
    })));

  tool("show", {
    description: "One issue with labels, dependencies, dependents, comments",
    inputSchema: { issue_id: z.string() },
    outputSchema: One,
  }, (a: { issue_id: string }) => run((b) => ({ issue: b.details([a.issue_id])[0] })));

  tool("stats", {
    description: "Issue counts by state",
    outputSchema: { stats: z.record(z.number()) },
  }, () => run((b) => ({ stats: b.stats() })));

  tool("blocked", {
    description: "Issues waiting on open blockers",
    outputSchema: Issues,
  }, () =>
    run((b) => ({
      issues: b.blocked().map((i) => ({ ...record(i), blocked_by: i.blocked_by })),
    })));

  tool("context", {
    description: "The bd primer (bd prime) and workspace",
    outputSchema: { primer: z.string(), workspace: z.string(), prefix: z.string() },
  }, () => run((b) => ({ primer: primerText(primer(b)), workspace: b.paths.beadsDir, prefix: b.prefix })));

  if (!write) return lean(server);

  tool("create", {
    description: "Create an issue; deps like 'bd-1' or 'discovered-from:bd-1'",
    inputSchema: {
      title: z.string(),
      description: z.string().optional(),
      design: z.string().optional(),
      acceptance: z.string().optional(),
      external_ref: z.string().optional(),
      priority: z.number().int().min(0).max(4).default(2),
      issue_type: z.string().default("task"),
      assignee: z.string().optional(),
      labels: z.array(z.string()).optional(),
      id: z.string().optional(),
      deps: z.array(z.string()).optional(),
    },
    outputSchema: One,
  }, (a: CreateArgs) =>
    run((b) => ({
      issue: record(b.create({
        title: a.title,
        description: a.description,
        design: a.design,
        acceptance_criteria: a.acceptance,
        external_ref: a.external_ref,
        priority: a.priority,
        issue_type: a.issue_type,
        assignee: a.assignee,
        labels: a.labels,
        id: a.id,
        deps: a.deps?.map(parseDepSpec),
      })),
    })));

  tool(
    "claim",
    {
      description:
        "Claim atomically: assignee = you, status in_progress; with lease (30m, 4h) it lapses unless renewed",
      inputSchema: { issue_id: z.string(), lease: z.string().optional() },
      outputSchema: One,
    },
    (a: { issue_id: string; lease?: string }) =>
      run((b) => ({ issue: record(b.claim(a.issue_id, { leaseSeconds: claimLease(b, a.lease, process.env) })) })),
  );

  tool("heartbeat", {
    description: "Renew your claim leases (these issue_ids, or all); reports claims lost to a takeover",
    inputSchema: { issue_ids: z.array(z.string()).optional() },
    outputSchema: { renewed: z.array(IssueRecord), lost: z.array(z.object({ id: z.string(), holder: z.string() })) },
  }, (a: { issue_ids?: string[] }) =>
    run((b) => {
      const { renewed, lost } = heartbeat(b, a.issue_ids ?? []);
      return { renewed: b.issuesById(renewed.map((r) => r.id)).map(record), lost };
    }));

  tool("update", {
    description: "Change an issue's fields",
    inputSchema: {
      issue_id: z.string(),
      status: z.string().optional(),
      priority: z.number().int().min(0).max(4).optional(),
      assignee: z.string().optional(),
      title: z.string().optional(),
      description: z.string().optional(),
      design: z.string().optional(),
      acceptance_criteria: z.string().optional(),
      notes: z.string().optional(),
      external_ref: z.string().optional(),
    },
    outputSchema: One,
  }, ({ issue_id, ...fields }: { issue_id: string } & Record<string, string | number | undefined>) =>
    run((b) => {
      const patch = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      if (Object.keys(patch).length === 0) {
        throw new BdError("VALIDATION", "nothing to update: give at least one field");
      }
      return { issue: record(b.update(issue_id, patch)) };
    }));

  tool(
    "close",
    {
      description: "Close (complete) an issue",
      inputSchema: { issue_id: z.string(), reason: z.string().default("Completed") },
      outputSchema: Issues,
    },
    (a: { issue_id: string; reason: string }) => run((b) => ({ issues: [record(b.closeIssue(a.issue_id, a.reason))] })),
  );

  tool(
    "reopen",
    {
      description: "Reopen closed issues",
      inputSchema: { issue_ids: z.array(z.string()).min(1), reason: z.string().optional() },
      outputSchema: Issues,
    },
    (a: { issue_ids: string[]; reason?: string }) =>
      run((b) => ({ issues: b.mutate(() => a.issue_ids.map((id) => record(b.reopenIssue(id, a.reason)))) })),
  );

  tool("dep", {
    description: "Add a dependency: issue_id depends on depends_on_id",
    inputSchema: { issue_id: z.string(), depends_on_id: z.string(), dep_type: z.string().default("blocks") },
    outputSchema: { dependency: z.object({ issue_id: z.string(), depends_on_id: z.string(), type: z.string() }) },
  }, (a: { issue_id: string; depends_on_id: string; dep_type: string }) =>
    run((b) => {
      const d = b.addDependency(a.issue_id, a.depends_on_id, a.dep_type);
      return { dependency: { issue_id: d.issue_id, depends_on_id: d.depends_on_id, type: d.type } };
    }));

  return lean(server);
}

/**
 * Every tool's schemas carry `"$schema": "…draft-07…"` and an `execution` note as the SDK writes
 * them: ~1.6 kB of the tools/list answer that every client pays for in context and that says
 * nothing it needs (JSON Schema draft 7 is MCP's default). The answer is the SDK's, minus those.
 */
function lean(server: McpServer): McpServer {
  const handlers = (server.server as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers;
  const list = handlers.get("tools/list");
  if (!list) return server;
  handlers.set("tools/list", async (request, extra) => {
    const result = (await list(request, extra)) as { tools: Record<string, unknown>[] };
    for (const tool of result.tools) {
      delete tool.execution;
      for (const key of ["inputSchema", "outputSchema"]) {
        delete (tool[key] as Record<string, unknown> | undefined)?.$schema;
      }
    }
    return result;
  });
  return server;
}

type Handler = (request: unknown, extra: unknown) => Promise<unknown>;
