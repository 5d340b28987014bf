/**
 * `bd sync`: the JSONL through git — flush, commit, fetch, rebase onto the upstream (conflicts in
 * the JSONL merged by the merge rule), import, push.
 *
 * All or nothing for the user's repository: if any step after the first change to git fails, the
 * repository is put back as it was (rebase aborted, bd's own commit undone, the user's commits,
 * index and working tree untouched) and the database is unchanged, because nothing is imported
 * until the rebase has finished. A push that fails leaves the merged result committed locally
 * (git is clean, nothing is lost, the next `bd sync` pushes it).
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { BdError } from "../../model/errors.ts";
import type { BeadsContext } from "../context.ts";
import { flushJsonl, replaceJsonl, workspaceText, writeFileAtomic } from "./jsonl_io.ts";
import { autoImport } from "./jsonl_import.ts";
import { resolveJsonlConflicts } from "./conflicts.ts";
import { mergeJsonl } from "./jsonl_merge.ts";
import { git, gitBlob, operationInProgress, unmergedPaths } from "./git.ts";
import { waitSync } from "./wait.ts";

/** What this module uses of the workspace (core/context.ts). */
type Ctx = Pick<BeadsContext, "db" | "importProblem" | "mutate" | "paths">;

export interface SyncReport {
  steps: string[];
  committed: boolean;
  pulled: boolean;
  merged_conflicts: number;
  resolved_markers: number;
  pushed: boolean;
  /** Pushes the remote rejected (another clone pushed first) that sync then fetched, merged and retried. */
  push_retries: number;
  /** Where the pushed branch went (`origin/main`), when it was pushed. */
  upstream?: string;
  dry_run: boolean;
}

/** Bounds of the retry after a rejected push: tries, and time from the first push. */
export const PUSH_TRIES = 12;
export const PUSH_RETRY_MS = 90_000;

/** What a failure after a merged commit leaves: nothing lost, the next sync pushes it. */
const KEPT_LOCALLY =
  "git is clean: the merged result is committed locally and in the database; run 'bd sync' again to push it.";

/** A push another pusher beat (the ref moved, or its lock was held): fetch, merge and try again. */
const RETRYABLE_PUSH =
  /non-fast-forward|fetch first|cannot lock ref|failed to update ref|unable to lock|stale info|incorrect old value/i;

/** The branch's configured upstream (`remote`, `branch` ref), or undefined when it has none. */
function upstreamOf(root: string, branch: string): { remote: string; ref: string; name: string } | undefined {
  const remote = git(root, ["config", "--get", `branch.${branch}.remote`], { allowFail: true }).out;
  const ref = git(root, ["config", "--get", `branch.${branch}.merge`], { allowFail: true }).out;
  if (!remote || !ref || remote === ".") return undefined;
  return { remote, ref, name: `${remote}/${ref.replace(/^refs\/heads\//, "")}` };
}

/** A sync step that failed after git was changed; the repository has been restored. */
function failed(step: string, e: unknown, restored: string): BdError {
  const why = e instanceof Error ? e.message : String(e);
  const code = e instanceof BdError && e.code !== "INTERNAL" ? e.code : "CONFLICT";
  return new BdError(code, `bd sync failed at ${step}: ${why}. ${restored}`);
}

/** Runs the sync; returns what it did. */
export function gitSync(
  beads: Ctx,
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
    resolved_markers: 0,
    pushed: false,
    push_retries: 0,
    dry_run: opts.dryRun,
  };
  const branch = git(root, ["symbolic-ref", "-q", "--short", "HEAD"], { allowFail: true }).out;
  // (During a rebase HEAD is detached too: finishOutsideMerge below says what to do about that.)
  if (!branch && !operationInProgress(root)) {
    throw new BdError(
      "CONFLICT",
      `HEAD is detached in ${root}: bd sync commits ${file} to a branch and pushes it, so check one out first ('git switch BRANCH'). Nothing was changed`,
    );
  }
  const upstream = upstreamOf(root, branch);
  const hasUpstream = upstream !== undefined &&
    git(root, ["rev-parse", "--abbrev-ref", "@{upstream}"], { allowFail: true }).ok;
  const remotes = git(root, ["remote"], { allowFail: true }).out.split("\n").filter(Boolean);
  const hasRemote = remotes.length > 0;
  if (beads.paths.worktree) {
    report.steps.push(
      `This is a linked worktree: syncing the shared ${file} in the main worktree ${root} (branch ${branch})`,
    );
  }
  if (opts.dryRun) {
    report.steps.push(
      `would flush ${file}, commit it, ${opts.pull && hasUpstream ? "fetch, rebase (merging issues), import, " : ""}${
        opts.push && hasRemote ? "push" : "not push (no remote)"
      }`,
    );
    return report;
  }
  finishOutsideMerge(beads, root, file, report);

  const message = opts.message ?? `bd sync: ${new Date().toISOString()}`;
  const startHead = git(root, ["rev-parse", "--verify", "-q", "HEAD"], { allowFail: true }).out || undefined;
  const stagedBefore = !git(root, ["diff", "--cached", "--quiet", "--", file], { allowFail: true }).ok;
  let ownCommit = false;
  /** Puts git back as sync found it: no operation in progress, bd's own commit undone. */
  const restore = (): string => {
    const problems: string[] = [];
    const op = operationInProgress(root);
    if (op === "rebase" || op === "merge") {
      const r = git(root, [op, "--abort"], { allowFail: true });
      if (!r.ok) problems.push(`git ${op} --abort: ${r.err}`);
    }
    if (ownCommit) {
      const r = startHead
        ? git(root, ["reset", "--soft", startHead], { allowFail: true })
        : git(root, ["update-ref", "-d", "HEAD"], { allowFail: true });
      if (!r.ok) problems.push(`undoing bd's commit: ${r.err}`);
      ownCommit = false;
    }
    // bd staged the file (a commit that then failed, or one just undone): unstage it again.
    if (!stagedBefore && startHead) git(root, ["reset", "-q", "--", file], { allowFail: true });
    return problems.length
      ? `Restoring git was incomplete (${problems.join("; ")}): check 'git status'.`
      : "The repository is as it was before 'bd sync' and the database is unchanged.";
  };
  const commit = (why: string) => {
    git(root, ["add", "--", file]);
    if (!git(root, ["diff", "--cached", "--quiet", "--", file], { allowFail: true }).ok) {
      git(root, ["commit", "-q", "-m", message, "--", file]);
      report.committed = true;
      report.steps.push(why);
      return true;
    }
    return false;
  };

  flushJsonl(beads);
  report.steps.push(`Flushed ${file}`);
  try {
    ownCommit = commit(`Committed ${file}`);
  } catch (e) {
    throw failed("commit", e, restore());
  }

  // The first round pulls as the user asked; when the push is rejected because another clone
  // pushed first, sync fetches, merges and pushes again, with jittered back-off, within bounds.
  const started = Date.now();
  for (let attempt = 0;; attempt++) {
    const retry = attempt > 0;
    if ((opts.pull || retry) && hasUpstream) pullAndImport(beads, root, file, report, retry ? undefined : restore);
    try {
      commit(`Committed merged ${file}`);
    } catch (e) {
      throw failed("commit of the merged file", e, "The merged issues are in the database; run 'bd sync' again.");
    }
    if (!opts.push || !hasRemote) break;
    const push = git(root, pushArgs(root, branch, upstream, remotes), { allowFail: true });
    if (push.ok) {
      report.pushed = true;
      if (upstream) report.upstream = upstream.name;
      report.steps.push(
        `Pushed${upstream ? ` to ${upstream.name}` : ""}${
          report.push_retries ? ` (after ${report.push_retries} rejected push(es) merged and retried)` : ""
        }`,
      );
      break;
    }
    const why = push.err || push.out;
    const outOfBounds = attempt + 1 >= PUSH_TRIES || Date.now() - started > PUSH_RETRY_MS;
    if (!hasUpstream || !RETRYABLE_PUSH.test(why) || outOfBounds) {
      throw failed(
        "push",
        new BdError(
          "CONFLICT",
          `git push: ${why}${report.push_retries ? ` (after ${report.push_retries} retries)` : ""}`,
        ),
        KEPT_LOCALLY,
      );
    }
    report.push_retries++;
    waitSync(Math.min(2000, 40 * 2 ** attempt) * (0.5 + Math.random()));
  }
  return report;
}

/**
 * Fetches, rebases onto the upstream (the JSONL merged by the merge rule), imports the result and
 * rewrites the file in bd's form. In the first round a failure restores git as sync found it
 * (`restore`); in a retry round the local merged commit stays and git is left clean.
 */
function pullAndImport(
  beads: Ctx,
  root: string,
  file: string,
  report: SyncReport,
  restore: (() => string) | undefined,
): void {
  const keep = () => {
    if (operationInProgress(root) === "rebase") git(root, ["rebase", "--abort"], { allowFail: true });
    return KEPT_LOCALLY;
  };
  const undo = restore ?? keep;
  try {
    git(root, ["fetch", "--quiet"]);
  } catch (e) {
    throw failed("fetch", e, undo());
  }
  const beforeRebase = git(root, ["rev-parse", "HEAD"]).out;
  try {
    rebaseOntoUpstream(root, file, beads.paths.jsonlPath, report);
  } catch (e) {
    throw failed("rebase", e, undo());
  }
  try {
    const summary = autoImport(beads);
    if (summary) {
      report.steps.push(
        `Imported: ${summary.created} created, ${summary.updated} updated, ${summary.deleted} deleted`,
      );
      for (const m of summary.moved ?? []) report.steps.push(`Note: ${m.note}`);
      for (const w of summary.warnings ?? []) report.steps.push(`Warning: ${w}`);
    }
  } catch (e) {
    // Back to before the rebase (the user's own files kept), then undo bd's commit.
    git(root, ["reset", "-q", "--keep", beforeRebase], { allowFail: true });
    throw failed("import", e, undo());
  }
  // The pulled file may differ in form from ours (another tool wrote it): rewrite it whole.
  beads.db.write(() => {
    const text = workspaceText(beads);
    if (readFileSync(beads.paths.jsonlPath, "utf8") !== text) replaceJsonl(beads, text);
  });
}

/**
 * The push: to the branch's configured upstream, whatever the local branch is called; with none,
 * git's own push.default when the user set one, else to the only remote (or origin) under the
 * branch's name, which then becomes its upstream.
 */
function pushArgs(
  root: string,
  branch: string,
  upstream: { remote: string; ref: string } | undefined,
  remotes: string[],
): string[] {
  if (upstream) return ["push", "--quiet", upstream.remote, `HEAD:${upstream.ref}`];
  if (git(root, ["config", "--get", "push.default"], { allowFail: true }).out) return ["push", "--quiet"];
  const remote = remotes.length === 1 ? remotes[0] : "origin";
  return ["push", "--quiet", "-u", remote, `HEAD:refs/heads/${branch}`];
}

/**
 * Before anything else: a merge that plain git left unfinished, whose only conflict is the JSONL,
 * is finished with the merge rule; markers committed into the file are resolved. Any other
 * operation in progress is the user's to finish, and sync changes nothing.
 */
function finishOutsideMerge(beads: Ctx, root: string, file: string, report: SyncReport): void {
  const op = operationInProgress(root);
  if (op) {
    const unmerged = unmergedPaths(root);
    if (op !== "merge" || unmerged.length === 0 || unmerged.some((p) => p !== file)) {
      throw new BdError(
        "CONFLICT",
        `git is in the middle of a ${op} started outside bd${
          unmerged.length ? ` (unresolved: ${unmerged.join(", ")})` : ""
        }; finish it ('git ${op} --continue') or abort it ('git ${op} --abort'), then run 'bd sync' again. Nothing was changed.`,
      );
    }
  }
  const resolved = resolveJsonlConflicts(beads);
  if (resolved) {
    report.resolved_markers = resolved.conflicts;
    report.steps.push(`Resolved the conflicts in ${file} issue by issue (${resolved.merged} merged field by field)`);
  }
  if (op === "merge") {
    git(root, ["add", "--", file]);
    git(root, ["commit", "-q", "--no-edit"]);
    report.steps.push(`Finished the merge git had left in progress`);
  }
}

/** Rebases HEAD onto its upstream, merging each conflict in the JSONL by the merge rule. */
function rebaseOntoUpstream(root: string, file: string, path: string, report: SyncReport): void {
  const behind = Number(git(root, ["rev-list", "--count", "HEAD..@{upstream}"]).out);
  if (behind === 0) {
    report.pulled = true;
    report.steps.push("Up to date with the upstream");
    return;
  }
  let r = git(root, ["rebase", "--autostash", "@{upstream}"], { allowFail: true });
  for (let round = 0; !r.ok; round++) {
    const unmerged = unmergedPaths(root);
    if (unmerged.length === 0) throw new BdError("INTERNAL", `git rebase failed: ${r.err || r.out}`);
    if (unmerged.some((f) => f !== file)) {
      throw new BdError(
        "CONFLICT",
        `the upstream changes conflict with your commits outside ${file} (${
          unmerged.filter((f) => f !== file).join(", ")
        }); merge those by hand ('git pull --rebase'), then run 'bd sync' again`,
      );
    }
    if (round >= 1000) throw new BdError("INTERNAL", "git rebase did not finish after 1000 conflicting commits");
    // During a rebase stage 2 is the upstream side and stage 3 the commit being replayed.
    const merged = mergeJsonl(
      gitBlob(root, `:1:${file}`) ?? "",
      gitBlob(root, `:2:${file}`) ?? "",
      gitBlob(root, `:3:${file}`) ?? "",
    );
    writeFileAtomic(path, merged.text);
    for (const m of merged.moved) {
      report.steps.push(
        `Moved ${m.from} to ${m.to} (${
          m.side === "left" ? "upstream" : "your"
        } side): two clones gave ${m.from} to different issues; both are kept`,
      );
    }
    git(root, ["add", "--", file]);
    report.merged_conflicts++;
    const empty = git(root, ["diff", "--cached", "--quiet"], { allowFail: true }).ok;
    r = git(root, ["-c", "core.editor=true", "rebase", empty ? "--skip" : "--continue"], {
      allowFail: true,
      env: { GIT_EDITOR: "true" },
    });
  }
  report.pulled = true;
  report.steps.push(
    report.merged_conflicts ? `Pulled and merged ${report.merged_conflicts} conflict(s) in ${file}` : "Pulled",
  );
}
