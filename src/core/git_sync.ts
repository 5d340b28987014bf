/** `bd sync`: the JSONL through git — flush, commit, pull --rebase with an issue-level merge, import, push. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import process from "node:process";
import { relative } from "node:path";
import { BdError } from "../model/errors.ts";
import type { Beads } from "./service.ts";
import { autoImport, exportText, flushJsonl, importText } from "./sync.ts";

export interface SyncReport {
  steps: string[];
  committed: boolean;
  pulled: boolean;
  merged_conflicts: number;
  pushed: boolean;
  dry_run: boolean;
}

function git(cwd: string, args: string[], opts: { allowFail?: boolean; env?: Record<string, string> } = {}) {
  const r = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...(opts.env ?? {}) },
  });
  if (r.error) throw new BdError("INTERNAL", `cannot run git: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) {
    throw new BdError("INTERNAL", `git ${args.join(" ")} failed: ${(r.stderr || r.stdout).trim()}`);
  }
  return { ok: r.status === 0, out: String(r.stdout).trim(), err: String(r.stderr).trim() };
}

/** Runs the sync; returns what it did. */
export function gitSync(
  beads: Beads,
  opts: { push: boolean; pull: boolean; dryRun: boolean; message?: string },
): SyncReport {
  const dir = beads.paths.beadsDir;
  const top = git(dir, ["rev-parse", "--show-toplevel"], { allowFail: true });
  if (!top.ok) {
    throw new BdError("VALIDATION", `${dir} is not inside a git repository: run 'git init' (and add a remote) first`);
  }
  const root = top.out;
  const file = relative(root, beads.paths.jsonlPath);
  const report: SyncReport = {
    steps: [],
    committed: false,
    pulled: false,
    merged_conflicts: 0,
    pushed: false,
    dry_run: opts.dryRun,
  };
  const hasUpstream = git(root, ["rev-parse", "--abbrev-ref", "@{upstream}"], { allowFail: true }).ok;
  const hasRemote = git(root, ["remote"], { allowFail: true }).out.length > 0;
  if (opts.dryRun) {
    report.steps.push(
      `would flush ${file}, commit it, ${opts.pull && hasUpstream ? "pull --rebase, import, " : ""}${
        opts.push && hasRemote ? "push" : "not push (no remote)"
      }`,
    );
    return report;
  }
  const message = opts.message ?? `bd sync: ${new Date().toISOString()}`;
  const commit = (why: string) => {
    git(root, ["add", "--", file]);
    if (!git(root, ["diff", "--cached", "--quiet", "--", file], { allowFail: true }).ok) {
      git(root, ["commit", "--no-verify", "-m", message, "--", file]);
      report.committed = true;
      report.steps.push(why);
    }
  };
  flushJsonl(beads);
  report.steps.push(`Flushed ${file}`);
  commit(`Committed ${file}`);

  if (opts.pull && hasUpstream) {
    let r = git(root, ["pull", "--rebase", "--no-edit"], { allowFail: true });
    // Each conflicting commit of ours being replayed: merge issue by issue, continue.
    for (let round = 0; !r.ok && round < 50; round++) {
      const conflicted = git(root, ["diff", "--name-only", "--diff-filter=U"], { allowFail: true }).out.split("\n")
        .filter(Boolean);
      if (conflicted.length === 0) throw new BdError("INTERNAL", `git pull --rebase failed: ${r.err || r.out}`);
      if (conflicted.some((f) => f !== file)) {
        git(root, ["rebase", "--abort"], { allowFail: true });
        throw new BdError(
          "CONFLICT",
          `git pull --rebase stopped on conflicts outside ${file} (${conflicted.join(", ")}); resolve them by hand`,
        );
      }
      // Stage 2 is the upstream side during a rebase; our own changes are already in the database.
      const upstream = git(root, ["show", `:2:${file}`], { allowFail: true });
      if (upstream.ok) importText(beads, upstream.out + "\n");
      flushJsonl(beads, { full: true });
      git(root, ["add", "--", file]);
      report.merged_conflicts++;
      r = git(root, ["-c", "core.editor=true", "rebase", "--continue"], {
        allowFail: true,
        env: { GIT_EDITOR: "true" },
      });
    }
    if (!r.ok) throw new BdError("INTERNAL", `git pull --rebase failed: ${r.err || r.out}`);
    report.pulled = true;
    report.steps.push(
      report.merged_conflicts ? `Pulled and merged ${report.merged_conflicts} conflict(s) in ${file}` : "Pulled",
    );
    const summary = autoImport(beads);
    if (summary) {
      report.steps.push(`Imported: ${summary.created} created, ${summary.updated} updated, ${summary.deleted} deleted`);
    }
    // The pulled file may differ in form from ours (another tool wrote it): rewrite it whole.
    if (readFileSync(beads.paths.jsonlPath, "utf8") !== exportText(beads)) flushJsonl(beads, { full: true });
    commit(`Committed merged ${file}`);
  }
  if (opts.push && hasRemote) {
    const args = hasUpstream ? ["push"] : ["push", "-u", "origin", "HEAD"];
    git(root, args);
    report.pushed = true;
    report.steps.push("Pushed");
  }
  return report;
}
