/**
 * `bd setup claude` / `gemini`: the agent runs `bd prime --hook-json` at every session start (and
 * after a compaction), so it starts with the bd workflow and this workspace's memories; and
 * `bd heartbeat --hook-json` after each tool call (Claude's PostToolUse, Gemini's AfterTool), so
 * the agent's claim leases live exactly as long as it keeps working, through long tool calls too,
 * and it hears at once when a lapsed claim was taken over. The hooks go into `.claude/settings.json`
 * or `.gemini/settings.json` (the user's with --global), keeping every other setting and hook;
 * running it again changes nothing. The commands name this bd so that they run from any install
 * (sync/self_command.ts); a bd that moved is replaced on the next run.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BdError } from "../model/errors.ts";
import { writeFileAtomic } from "./sync/jsonl_io.ts";
import { commandProgram, selfCommand } from "./sync/self_command.ts";

type Json = Record<string, unknown>;
interface HookEntry {
  matcher?: string;
  hooks?: { type?: string; command?: string }[];
}

/** The hook command for this bd. */
export const primeHookCommand = (env: Record<string, string | undefined>) => `${selfCommand(env)} prime --hook-json`;

/** The after-each-tool hook command for this bd: renews the actor's leases. */
export const heartbeatHookCommand = (env: Record<string, string | undefined>) =>
  `${selfCommand(env)} heartbeat --hook-json`;

/** Each agent's name for the event after a tool call. */
const AFTER_TOOL = { claude: "PostToolUse", gemini: "AfterTool" } as const;

const PRIME_TAIL = /\sprime( --stealth)?( --hook-json)?$/;
const HEARTBEAT_TAIL = /\sheartbeat --hook-json$/;
const BD_PROGRAM = /(^|[/\\'\s])(bd(\.exe)?|main\.ts)'?\s/;

/** True for a command a bd wrote for this hook (any install; older forms without --hook-json too). */
export const isBdPrime = (command: string | undefined) =>
  !!command && PRIME_TAIL.test(command) && BD_PROGRAM.test(command);

export interface HookSetup {
  path: string;
  /** installed / unchanged / removed / absent. */
  action: "created" | "updated" | "unchanged" | "removed" | "absent";
  command: string;
}

/** Where an agent's settings live: the project's (beside .beads/) or the user's. */
export function settingsPath(
  agent: "claude" | "gemini",
  projectRoot: string,
  global: boolean,
  env: Record<string, string | undefined>,
): string {
  if (!global) return join(projectRoot, `.${agent}`, "settings.json");
  const home = env.HOME ?? env.USERPROFILE;
  if (!home) throw new BdError("VALIDATION", "no home directory (HOME) for --global");
  return join(home, `.${agent}`, "settings.json");
}

function readSettings(path: string): Json {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
  } catch { /* said below */ }
  throw new BdError("VALIDATION", `${path} is not a JSON object: fix it by hand first; nothing was changed`);
}

/** True for a heartbeat hook a bd wrote (any install). */
export const isBdHeartbeat = (command: string | undefined) =>
  !!command && HEARTBEAT_TAIL.test(command) && BD_PROGRAM.test(command);

/** The settings with bd's hook for `event` set to `command` (others' hooks untouched). */
function withEventHook(settings: Json, event: string, isBd: (c?: string) => boolean, command?: string): Json {
  const hooks = { ...((settings.hooks as Json | undefined) ?? {}) };
  const entries = ((hooks[event] as HookEntry[] | undefined) ?? []).flatMap((e) => {
    const kept = (e.hooks ?? []).filter((h) => !isBd(h.command));
    return kept.length === (e.hooks ?? []).length ? [e] : kept.length ? [{ ...e, hooks: kept }] : [];
  });
  if (command) entries.push({ matcher: "", hooks: [{ type: "command", command }] });
  if (entries.length) hooks[event] = entries;
  else delete hooks[event];
  const out = { ...settings, hooks };
  if (Object.keys(hooks).length === 0) delete (out as Json).hooks;
  return out;
}

/** The settings with bd's hooks: prime at session start, heartbeat after each tool call. */
function withHook(settings: Json, agent: "claude" | "gemini", env: Record<string, string | undefined>, on: boolean) {
  const primed = withEventHook(settings, "SessionStart", isBdPrime, on ? primeHookCommand(env) : undefined);
  return withEventHook(primed, AFTER_TOOL[agent], isBdHeartbeat, on ? heartbeatHookCommand(env) : undefined);
}

/** The bd heartbeat command registered in these settings, if any. */
export function registeredHeartbeat(path: string, agent: "claude" | "gemini"): string | undefined {
  const entries = ((readSettings(path).hooks as Json | undefined)?.[AFTER_TOOL[agent]] as HookEntry[] | undefined) ??
    [];
  return entries.flatMap((e) => e.hooks ?? []).map((h) => h.command).find(isBdHeartbeat);
}

/** The bd prime command registered in these settings, if any. */
export function registeredPrime(path: string): string | undefined {
  const entries = ((readSettings(path).hooks as Json | undefined)?.SessionStart as HookEntry[] | undefined) ?? [];
  return entries.flatMap((e) => e.hooks ?? []).map((h) => h.command).find(isBdPrime);
}

/** Installs (or with `remove`, removes) the hook; `dryRun` only says what it would do. */
export function setupHook(
  path: string,
  env: Record<string, string | undefined>,
  opts: { remove?: boolean; dryRun?: boolean; agent?: "claude" | "gemini" } = {},
): HookSetup {
  const command = primeHookCommand(env);
  const existed = existsSync(path);
  const before = readSettings(path);
  const agent = opts.agent ?? (path.includes(".gemini") ? "gemini" : "claude");
  const after = withHook(before, agent, env, !opts.remove);
  const text = (o: Json) => JSON.stringify(o, null, 2) + "\n";
  const changed = text(before) !== text(after) || (!existed && !opts.remove);
  const action = !changed
    ? (opts.remove ? "absent" : "unchanged")
    : opts.remove
    ? "removed"
    : existed
    ? "updated"
    : "created";
  if (changed && !opts.dryRun) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, text(after));
  }
  return { path, action, command };
}

/** Whether the registered hook's program is still there (a moved or uninstalled bd is not). */
export function hookProgramExists(command: string): boolean {
  const program = commandProgram(command);
  return !!program && (!program.includes("/") || existsSync(program));
}
