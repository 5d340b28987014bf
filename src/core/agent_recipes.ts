/**
 * `bd setup <recipe>`: what each coding agent reads, written the way upstream bd writes it, so a
 * project set up for upstream bd keeps working. Every recipe is idempotent (a second run changes
 * nothing), keeps everything of the user's outside bd's markers or hook entries, and can be
 * checked (--check), shown (--print) and removed (--remove).
 * - agents, codex, factory: the bd section in AGENTS.md (codex and Factory's droids read it);
 * - claude, gemini: a SessionStart hook running `bd prime --hook-json` (agent_hooks.ts), in
 *   .claude/settings.json or .gemini/settings.json (--global: the user's);
 * - cursor: .cursor/rules/beads.mdc (always applied); copilot: .github/copilot-instructions.md;
 * - aider: .aider/BEADS.md, read through .aider.conf.yml.
 */
import { existsSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { BdError } from "../model/errors.ts";
import { agentSection, type SectionResult, syncSection } from "./agents_md.ts";
import { hookProgramExists, registeredHeartbeat, registeredPrime, settingsPath, setupHook } from "./agent_hooks.ts";
import { writeFileAtomic } from "./sync/jsonl_io.ts";

export const RECIPES = {
  agents: "the bd section in AGENTS.md (and CLAUDE.md when present); the default",
  claude: "Claude Code: a SessionStart hook running bd prime --hook-json (.claude/settings.json)",
  gemini: "Gemini CLI: a SessionStart hook running bd prime --hook-json (.gemini/settings.json)",
  codex: "Codex: the bd section in AGENTS.md, which Codex reads",
  factory: "Factory droids: the bd section in AGENTS.md, which they read",
  cursor: "Cursor: an always-applied rule, .cursor/rules/beads.mdc",
  copilot: "GitHub Copilot: the bd section in .github/copilot-instructions.md",
  aider: "Aider: .aider/BEADS.md, read through .aider.conf.yml",
  mcp: "MCP clients: the mcpServers entry that starts bd mcp (printed)",
} as const;
export type Recipe = keyof typeof RECIPES;

export interface RecipeOptions {
  check?: boolean;
  remove?: boolean;
  /** Say what would be written; write nothing. */
  print?: boolean;
  global?: boolean;
  env: Record<string, string | undefined>;
}

export interface RecipeResult {
  recipe: Recipe;
  /** Each file the recipe writes, and what became of it (or, with --check, whether it is current). */
  files: (SectionResult & { command?: string })[];
  /** For --check: everything is in place and current. */
  ok: boolean;
}

const CURSOR_FRONT_MATTER = "---\nalwaysApply: true\n---\n\n";
const AIDER_CONFIG =
  "# bd: load the bd workflow for the AI (written by 'bd setup aider')\nread:\n  - .aider/BEADS.md\n";

/** Runs `recipe` in the project at `root` (beside its .beads/). */
export function runRecipe(
  recipe: Exclude<Recipe, "mcp">,
  root: string,
  prefix: string,
  opts: RecipeOptions,
): RecipeResult {
  if (opts.global && recipe !== "claude" && recipe !== "gemini") {
    throw new BdError("USAGE", `--global is for the claude and gemini recipes (${recipe} is per project)`);
  }
  const section = agentSection(prefix);
  const one = (file: string, preamble?: string) =>
    syncSection(file, section, { check: opts.check, remove: opts.remove, dryRun: opts.print, preamble });
  const result = (files: RecipeResult["files"]): RecipeResult => ({
    recipe,
    files,
    ok: files.every((f) => ["current", "unchanged", "created", "updated", "removed", "absent"].includes(f.action)),
  });
  switch (recipe) {
    case "agents":
    case "codex":
    case "factory": {
      const files = [one(join(root, "AGENTS.md"))];
      if (recipe === "agents" && existsSync(join(root, "CLAUDE.md"))) files.push(one(join(root, "CLAUDE.md")));
      return result(files);
    }
    case "cursor":
      return result([one(join(root, ".cursor", "rules", "beads.mdc"), CURSOR_FRONT_MATTER)]);
    case "copilot":
      return result([one(join(root, ".github", "copilot-instructions.md"), "# Copilot instructions\n\n")]);
    case "aider":
      return result(aider(root, section, opts));
    case "claude":
    case "gemini": {
      const path = settingsPath(recipe, root, opts.global === true, opts.env);
      if (opts.check) {
        const registered = registeredPrime(path);
        const beat = registeredHeartbeat(path, recipe);
        const runs = registered !== undefined && hookProgramExists(registered) && beat !== undefined &&
          hookProgramExists(beat);
        return {
          recipe,
          files: [{ file: path, action: runs ? "current" : registered ? "drift" : "missing", command: registered }],
          ok: runs,
        };
      }
      const r = setupHook(path, opts.env, { remove: opts.remove, dryRun: opts.print, agent: recipe });
      return result([{ file: path, action: r.action, command: r.command }]);
    }
  }
}

/** Aider reads the files its config names: .aider/BEADS.md holds the section, the config names it. */
function aider(root: string, section: string, opts: RecipeOptions): RecipeResult["files"] {
  const config = join(root, ".aider.conf.yml");
  const text = existsSync(config) ? readFileSync(config, "utf8") : undefined;
  const names = text !== undefined && /^\s*-\s*\.aider\/BEADS\.md\s*$/m.test(text);
  if (!opts.check && !opts.remove && text !== undefined && !names) {
    // Checked before anything is written: a config of the user's own is not rewritten.
    throw new BdError(
      "CONFLICT",
      `${config} is yours: add '.aider/BEADS.md' under its read: list, then run 'bd setup aider' again (nothing was written)`,
    );
  }
  const instructions = syncSection(join(root, ".aider", "BEADS.md"), section, {
    check: opts.check,
    remove: opts.remove,
    dryRun: opts.print,
    preamble: "# bd workflow for Aider (suggest the commands; the user runs them with /run)\n\n",
  });
  let action: SectionResult["action"];
  if (opts.check) action = names ? "current" : "missing";
  else if (opts.remove) {
    action = text === AIDER_CONFIG ? "removed" : "absent"; // a config the user changed is theirs
    if (action === "removed" && !opts.print) unlinkSync(config);
  } else if (names) action = "unchanged";
  else {
    if (!opts.print) writeFileAtomic(config, AIDER_CONFIG);
    action = "created";
  }
  return [instructions, { file: config, action }];
}
