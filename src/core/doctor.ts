/**
 * `bd doctor`: health checks of a workspace, and with `fix` the repairs bd can make safely
 * (rewrite a drifted JSONL, configure the merge driver, remove temp files of killed writers).
 */
import { readdirSync, readFileSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { SCHEMA_VERSION } from "../store/migrate.ts";
import type { BeadsContext } from "./context.ts";
import { rejectedLines, replaceJsonl, workspaceText } from "./sync/jsonl_io.ts";
import {
  commandProblem,
  driverProgram,
  installMergeDriver,
  type MergeDriverState,
  mergeDriverState,
} from "./sync/merge_driver.ts";
import { installHooks, listHooks } from "./sync/hooks.ts";
import { selfCommand } from "./sync/self_command.ts";
import { unconfiguredStatuses } from "./statuses.ts";
import { addIgnoreLines, missingIgnoreLines } from "./beads_gitignore.ts";
import { parseCustomStatuses } from "../model/status_categories.ts";
import { customStatusesDrift, resyncCustomStatuses, STATUS_CUSTOM } from "./workspace_config.ts";
import { hookProgramExists, registeredHeartbeat, registeredPrime, settingsPath, setupHook } from "./agent_hooks.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<
  BeadsContext,
  | "clearPrefixCache"
  | "configGet"
  | "count"
  | "customStatusNames"
  | "customStatuses"
  | "cycles"
  | "danglingDependencies"
  | "db"
  | "importProblem"
  | "integrityCheck"
  | "mutate"
  | "paths"
  | "prefix"
>;

export interface Check {
  name: string;
  status: "ok" | "warning" | "error";
  message: string;
  /** What `--fix` did about it. */
  fixed?: string;
}

/** Runs every check (repairing what it can when `fix`); returns them in order. */
export function doctor(beads: Ctx, fix: boolean): Check[] {
  const checks: Check[] = [];
  const add = (c: Check) => checks.push(c);
  const integrity = beads.integrityCheck();
  add({
    name: "schema",
    status: "ok",
    message: `schema version ${SCHEMA_VERSION} (${beads.paths.dbPath})`,
  });
  add({
    name: "integrity",
    status: integrity === "ok" ? "ok" : "error",
    message: integrity === "ok" ? "PRAGMA integrity_check: ok" : `PRAGMA integrity_check: ${integrity}`,
  });

  const path = beads.paths.jsonlPath;
  // Before any repair that flushes (a flush also removes these files).
  const prefix = `.${basename(path)}.`;
  const stale = readdirSync(beads.paths.beadsDir).filter((n) => n.startsWith(prefix) && n.endsWith(".tmp"));
  const staleCheck: Check = {
    name: "stale-files",
    status: stale.length ? "warning" : "ok",
    message: stale.length
      ? `${stale.length} temp file(s) left by a killed writer (${stale.join(", ")})`
      : "no files left by killed writers",
  };
  if (stale.length && fix) {
    for (const n of stale) unlinkSync(join(beads.paths.beadsDir, n));
    staleCheck.fixed = `removed ${stale.length} temp file(s)`;
  }
  add(staleCheck);
  if (beads.importProblem) {
    add({
      name: "jsonl",
      status: "error",
      message: `${beads.importProblem.message}`,
    });
  } else {
    // With --fix, compared and rewritten under one write lock, from one export.
    const check = () => {
      let file: string | undefined;
      try {
        file = readFileSync(path, "utf8");
      } catch { /* missing */ }
      const expected = workspaceText(beads);
      if (file === expected) {
        return add({ name: "jsonl", status: "ok", message: `${basename(path)} matches the database` });
      }
      const c: Check = {
        name: "jsonl",
        status: "warning",
        message: file === undefined
          ? `${basename(path)} is missing`
          : `${basename(path)} differs from the database (an edit outside bd, or --no-auto-flush)`,
      };
      if (fix) {
        replaceJsonl(beads, expected);
        c.fixed = `rewrote ${basename(path)} from the database`;
      }
      add(c);
    };
    if (fix) beads.db.write(check);
    else check();
  }
  // Where each kept-out line is now (the file may have moved it); one no longer there is mended.
  const fileLines = new Map<string, number>();
  try {
    readFileSync(path, "utf8").split("\n").forEach((l, i) => fileLines.set(l.trim(), i + 1));
  } catch { /* missing: the jsonl check says so */ }
  const rejected = rejectedLines(beads).flatMap((r) =>
    fileLines.has(r.text) ? [{ ...r, line: fileLines.get(r.text)! }] : []
  );
  add({
    name: "jsonl-lines",
    status: rejected.length ? "warning" : "ok",
    message: rejected.length
      ? `${rejected.length} line(s) of ${basename(path)} are kept out of the database (mend them in the file): ${
        rejected.map((r) => `line ${r.line}${r.id ? ` (${JSON.stringify(r.id)})` : ""}: ${r.reason}`).join("; ")
      }`
      : `every line of ${basename(path)} is in the database`,
  });

  const unignored = missingIgnoreLines(beads.paths.beadsDir);
  const ignoreCheck: Check = {
    name: "gitignore",
    status: unignored.length ? "warning" : "ok",
    message: unignored.length
      ? `.beads/.gitignore lacks ${unignored.join(", ")}: those local files could be committed`
      : ".beads/.gitignore keeps the database and its side files out of git",
  };
  if (unignored.length && fix) {
    addIgnoreLines(beads.paths.beadsDir, unignored);
    ignoreCheck.fixed = `added ${unignored.join(", ")} to .beads/.gitignore`;
  }
  add(ignoreCheck);

  const dangling = beads.danglingDependencies();
  add({
    name: "dependencies",
    status: dangling.length ? "warning" : "ok",
    message: dangling.length
      ? `${dangling.length} dependencies point at issues this database does not have (e.g. ${
        dangling.slice(0, 3).map((d) => `${d.issue_id} → ${d.depends_on_id}`).join(", ")
      }); they resolve when those issues arrive, or remove them with 'bd dep remove'`
      : "every dependency points at a known issue",
  });

  const cycles = beads.cycles();
  add({
    name: "cycles",
    status: cycles.length ? "error" : "ok",
    message: cycles.length
      ? `${cycles.length} dependency cycle(s), e.g. ${
        cycles[0].map((i) => i.id).join(" → ")
      }: remove one edge with 'bd dep remove'`
      : "no dependency cycles",
  });

  for (const c of statusChecks(beads, fix)) add(c);

  const driver = mergeDriverState(beads.paths.beadsDir, path);
  if (driver.root) add(mergeDriverCheck(beads, driver, fix));
  if (driver.root) { for (const c of hookChecks(beads, driver.root, fix)) add(c); }
  const claude = claudeHookCheck(beads, fix);
  if (claude) add(claude);

  return checks;
}

/** Upstream's meanings for statuses it has and bd does not, and words that plainly mean finished. */
const LIKELY_CATEGORY: Record<string, string> = {
  hooked: "wip",
  pinned: "frozen",
  done: "done",
  completed: "done",
  complete: "done",
  resolved: "done",
  fixed: "done",
  merged: "done",
  shipped: "done",
  cancelled: "done",
  canceled: "done",
  wontfix: "done",
  duplicate: "done",
};

/**
 * Custom statuses: the table the rules read matches config status.custom (another program may
 * have changed the config alone), and no issue carries a status nothing gives a meaning.
 */
function statusChecks(beads: Ctx, fix: boolean): Check[] {
  const checks: Check[] = [];
  if (customStatusesDrift(beads)) {
    const c: Check = {
      name: "custom-statuses",
      status: "warning",
      message:
        `config ${STATUS_CUSTOM} was changed outside bd, so ready and blocked still follow its old value: run 'bd doctor --fix'`,
    };
    if (fix) {
      resyncCustomStatuses(beads);
      c.fixed = `ready and blocked now follow ${STATUS_CUSTOM}`;
    }
    checks.push(c);
  }
  // A value another program (or an import) brought that does not parse: the bad entries mean nothing.
  try {
    parseCustomStatuses(beads.configGet(STATUS_CUSTOM) ?? "");
  } catch (e) {
    checks.push({
      name: "custom-statuses",
      status: "warning",
      message: `config ${STATUS_CUSTOM} has entries bd ignores: ${
        (e as Error).message
      }; set it again with 'bd config set'`,
    });
  }
  const unknown = unconfiguredStatuses(beads);
  if (unknown.length === 0) {
    checks.push({ name: "statuses", status: "ok", message: "every status in use is built in or configured" });
    return checks;
  }
  const current = beads.configGet(STATUS_CUSTOM)?.trim();
  const suggested = [
    ...(current ? [current] : []),
    ...unknown.map((u) => `${u.status}:${LIKELY_CATEGORY[u.status] ?? "CATEGORY"}`),
  ].join(",");
  checks.push({
    name: "statuses",
    status: "warning",
    message: `${unknown.length} status(es) in use that nothing configures: ${
      unknown.map((u) => `${u.status} (${u.count} issue${u.count === 1 ? "" : "s"})`).join(", ")
    }. They are listed by default, never ready, and they block their dependents. Give each a category ` +
      `(active, wip, done, frozen), e.g.: bd config set ${STATUS_CUSTOM} "${suggested}"`,
  });
  return checks;
}

/** The merge driver: configured, and its recorded bd really runs from git's shell. */
function mergeDriverCheck(beads: Ctx, driver: MergeDriverState, fix: boolean): Check {
  const path = beads.paths.jsonlPath;
  let problem: string | undefined;
  if (!driver.attributes || !driver.driver) {
    problem = "git is not set up to merge issues.jsonl with 'bd merge' (plain git pulls can leave conflict markers)";
  } else {
    const program = driverProgram(driver.driver); // undefined: someone's own driver command, theirs to keep
    const broken = program === undefined ? undefined : commandProblem(driver.root!, program);
    if (broken) {
      problem =
        `the merge driver's bd does not run (${driver.driver}: ${broken}): bd was moved or reinstalled, so plain git pulls leave conflict markers`;
    }
  }
  const c: Check = {
    name: "merge-driver",
    status: problem ? "warning" : "ok",
    message: problem ?? `git merges issues.jsonl with '${driver.driver}'`,
  };
  if (problem && fix) {
    c.fixed = `configured ${
      installMergeDriver(beads.paths.beadsDir, path)?.join(", ") || "nothing (git ignores the file)"
    }`;
  }
  return c;
}

/** bd's git hooks, when installed: the bd each one records really runs, and the script is today's. */
function hookChecks(beads: Ctx, root: string, fix: boolean): Check[] {
  const hooks = listHooks(beads.paths.beadsDir, beads.paths.jsonlPath).filter((h) => h.state === "installed");
  if (hooks.length === 0) return [];
  const broken = hooks.flatMap((h) => {
    const problem = commandProblem(root, h.command!);
    return problem ? [`${h.name} (${h.command}: ${problem})`] : [];
  });
  const outdated = hooks.filter((h) => h.outdated).map((h) => h.name);
  const c: Check = {
    name: "hooks",
    status: broken.length || outdated.length ? "warning" : "ok",
    message: broken.length
      ? `git hooks whose bd does not run (moved or reinstalled?): ${broken.join("; ")}`
      : outdated.length
      ? `git hooks written by an older bd (they import in the middle of a rebase, and during bd sync): ${
        outdated.join(", ")
      }; run 'bd doctor --fix'`
      : `git hooks run bd (${hooks.map((h) => h.name).join(", ")})`,
  };
  if ((broken.length || outdated.length) && fix) {
    installHooks(beads.paths.beadsDir, beads.paths.jsonlPath);
    c.fixed = `rewrote the hooks to run ${selfCommand()}`;
  }
  return [c];
}

/** Claude Code's SessionStart hook, when `bd setup claude` put one in the project: its bd is there. */
function claudeHookCheck(beads: Ctx, fix: boolean): Check | undefined {
  const path = settingsPath("claude", dirname(beads.paths.beadsDir), false, {});
  let registered: string | undefined;
  try {
    registered = registeredPrime(path);
  } catch {
    return { name: "claude-hook", status: "warning", message: `${path} is not valid JSON` };
  }
  if (registered === undefined) return undefined;
  const beat = registeredHeartbeat(path, "claude");
  if (hookProgramExists(registered) && beat !== undefined && hookProgramExists(beat)) {
    return { name: "claude-hook", status: "ok", message: `Claude Code's SessionStart runs ${registered}` };
  }
  const c: Check = {
    name: "claude-hook",
    status: "warning",
    message: hookProgramExists(registered)
      ? "Claude Code's hooks predate the lease heartbeat (PostToolUse): --fix adds it"
      : `Claude Code's SessionStart hook runs a bd that is not there any more (${registered})`,
  };
  if (fix) c.fixed = `rewrote it to run ${setupHook(path, process.env).command}`;
  return c;
}
