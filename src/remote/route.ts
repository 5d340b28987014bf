/**
 * The server's half of remote mode: `POST /cli` runs a client's command through the CLI's own
 * `run` (the same command table, rules and output), against the server's open workspace, as the
 * request's actor. The command reads only the stdin and file texts the client sent, sees none of
 * the server's environment, and cannot run what remote_policy.ts refuses.
 */
import type { Beads } from "../core/service.ts";
import { BdError } from "../model/errors.ts";
import { type CommandHost, run } from "../cli/main.ts";
import { Output } from "../cli/output.ts";
import { type CliReply, type CliRequest, MAX_ARGS, PASSED_ENV, PROTOCOL } from "./protocol.ts";

/** An answer for the HTTP layer: its status and JSON body. */
export interface RouteAnswer {
  status: number;
  body: unknown;
}

/**
 * Runs one client's command. `tokenName` is the named token the request carried (its name is the
 * actor, whatever the client says); `workspaceRoot` is where the command acts (the server's cwd for it).
 */
export async function runClientCommand(
  beads: Beads,
  body: unknown,
  opts: { tokenName?: string; workspaceRoot: string },
): Promise<RouteAnswer> {
  const bad = (message: string, code = "VALIDATION", status = 400): RouteAnswer => ({
    status,
    body: { error: message, code },
  });
  const req = body as Partial<CliRequest> | null;
  if (typeof req !== "object" || req === null) return bad("the request must be a JSON object");
  if (req.protocol !== PROTOCOL) {
    return bad(
      `this server (bd protocol ${PROTOCOL}) cannot run requests of protocol ${JSON.stringify(req.protocol)} from bd ${
        req.version ?? "?"
      }: use the same bd version on both sides`,
      "INCOMPATIBLE",
      409,
    );
  }
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
  const texts = (v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");
  if (!strings(req.argv) || req.argv!.length > MAX_ARGS) return bad(`argv must be at most ${MAX_ARGS} strings`);
  if (typeof req.actor !== "string" || typeof req.actorGiven !== "boolean") return bad("actor is required");
  if (req.stdin !== undefined && typeof req.stdin !== "string") return bad("stdin must be a string");
  if (!texts(req.files) || !texts(req.fileErrors) || !texts(req.env)) {
    return bad("files, fileErrors and env must map names to strings");
  }
  const argv = req.argv!;
  const env: Record<string, string> = {};
  for (const k of PASSED_ENV) if (req.env![k] !== undefined) env[k] = req.env![k];

  const out: CliReply = { stdout: "", stderr: "", code: 0 };
  const sink = {
    stdout: (t: string) => void (out.stdout += t),
    stderr: (t: string) => void (out.stderr += t),
    terminal: req.terminal === true,
  };
  const actor = opts.tokenName ?? req.actor;
  if (opts.tokenName !== undefined && req.actorGiven && req.actor !== opts.tokenName) {
    // The token says who acts: a client cannot claim to be someone else.
    const o = new Output(argv.includes("--json"), false, env, sink);
    o.error(
      new BdError(
        "USAGE",
        `--actor ${req.actor} does not match this token, which acts as ${opts.tokenName}: drop --actor`,
      ),
    );
    await o.flush();
    return { status: 200, body: { ...out, code: 2 } };
  }
  const files = req.files!, fileErrors = req.fileErrors!;
  const host: CommandHost = {
    workspace: ({ readonly }) => {
      const view = beads.as(actor);
      if (readonly) view.readonly = true;
      return view;
    },
    readStdin: () => req.stdin ?? "",
    readFile: (path) => {
      if (Object.hasOwn(files, path)) return files[path];
      // Worded as the client's own read said it, so the command reports it as it would locally.
      throw new Error(fileErrors[path] ?? `${path} was not sent by the client`);
    },
  };
  out.code = await run(argv, env, opts.workspaceRoot, sink, host);
  return { status: 200, body: out };
}
