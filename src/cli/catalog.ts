/**
 * Where each command is defined, so that a run loads only the module of the command it runs
 * (issue 31: every agent call pays for what start-up evaluates). The words are written here by
 * hand; tests/unit/startup_modules_test.ts checks them against the modules' own tables.
 */
import type { Command } from "./command.ts";
import { versionCommands } from "./commands/version.ts";

/** A module of commands: the first words it defines (aliases included) and how to load it. */
interface CommandModule {
  words: readonly string[];
  load: () => Promise<Command[]>;
}

/** The modules in `bd --help` order. Each `import()` names its file literally, so the build keeps it a chunk of its own. */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { words: ["create", "new"], load: () => import("./commands/issue_create.ts").then((m) => m.createCommands) },
  {
    words: ["show", "view", "list", "ls"],
    load: () => import("./commands/issue_views.ts").then((m) => m.viewCommands),
  },
  {
    words: ["update", "close", "done", "note", "reopen", "delete"],
    load: () => import("./commands/issues.ts").then((m) => m.issueCommands),
  },
  { words: ["ready"], load: () => import("./commands/ready.ts").then((m) => m.readyCommands) },
  {
    words: ["blocked", "search", "stats", "status", "count", "stale", "epic", "triage"],
    load: () => import("./commands/work.ts").then((m) => m.workCommands),
  },
  {
    words: ["heartbeat", "reclaim", "claims", "who"],
    load: () => import("./commands/leases.ts").then((m) => m.leaseCommands),
  },
  { words: ["dep"], load: () => import("./commands/deps.ts").then((m) => m.depCommands) },
  { words: ["label", "comments", "comment"], load: () => import("./commands/labels.ts").then((m) => m.labelCommands) },
  {
    words: ["export", "import", "sync", "merge", "resolve-conflicts"],
    load: () => import("./commands/data.ts").then((m) => m.dataCommands),
  },
  { words: ["config", "types", "statuses"], load: () => import("./commands/config.ts").then((m) => m.configCommands) },
  {
    words: ["remember", "memories", "recall", "forget"],
    load: () => import("./commands/memories.ts").then((m) => m.memoryCommands),
  },
  {
    words: ["defer", "undefer", "q", "edit", "children", "duplicate", "supersede", "dep", "epic"],
    load: () => import("./commands/lifecycle.ts").then((m) => m.lifecycleCommands),
  },
  {
    words: ["info", "where", "lint", "orphans", "doctor", "graph", "setup", "onboard", "hooks"],
    load: () => import("./commands/maintenance.ts").then((m) => m.maintenanceCommands),
  },
  { words: ["human"], load: () => import("./commands/human.ts").then((m) => m.humanCommands) },
  {
    words: ["serve", "schema", "ext", "mcp"],
    load: () => import("./commands/server.ts").then((m) => m.serverCommands),
  },
  { words: ["token"], load: () => import("./commands/tokens.ts").then((m) => m.tokenCommands) },
  {
    words: ["init", "quickstart", "prime"],
    load: () => import("./commands/setup.ts").then((m) => m.setupCommands),
  },
  // In this module itself: `bd version` should cost no more than a program that prints a line.
  { words: ["version"], load: () => Promise.resolve(versionCommands) },
  { words: ["completion"], load: () => import("./commands/completion.ts").then((m) => m.completionCommands) },
];

/**
 * The words whose commands never open a workspace (declared `workspace: false`, and `help`): for
 * them the CLI does not load the service ahead. tests/unit/startup_modules_test.ts checks the list.
 */
export const WORKSPACE_FREE_WORDS: ReadonlySet<string> = new Set(["version", "completion", "quickstart", "help"]);

/**
 * The commands that could answer to this first word (the modules that define it), or every
 * command when the word is unknown (the error then names what exists).
 */
export async function commandsFor(word: string | undefined): Promise<{ commands: Command[]; all: boolean }> {
  const modules = word === undefined ? [] : COMMAND_MODULES.filter((m) => m.words.includes(word));
  if (modules.length === 0) return { commands: await allCommands(), all: true };
  return { commands: (await Promise.all(modules.map((m) => m.load()))).flat(), all: false };
}

/** Every command, in `bd --help` order (for help, completion and the tests). */
export async function allCommands(): Promise<Command[]> {
  return (await Promise.all(COMMAND_MODULES.map((m) => m.load()))).flat();
}
