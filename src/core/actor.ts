/** Who is acting (contract §2): --actor, $BD_ACTOR, $BEADS_ACTOR, git user.name, $USER, unknown. */
import process from "node:process";
import { ASK_GIT, gitUserName } from "./sync/git_user.ts";

// Loaded on first use: most commands never need git, and the module costs start-up time.
const childProcess = () => process.getBuiltinModule("node:child_process") as typeof import("node:child_process");

/** Returns the actor name; asks git only when nothing cheaper is set. */
export function resolveActor(
  explicit: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): string {
  const direct = explicit || env.BD_ACTOR || env.BEADS_ACTOR;
  if (direct) return direct;
  // git's files read directly (~3 ms less per write than starting git); git itself when unsure.
  const fromFiles = gitUserName(cwd, env);
  if (fromFiles !== ASK_GIT) return fromFiles || env.USER || "unknown";
  try {
    // A user name is one short line: 64 KiB is ample, and a stuck git is cut off after 2 s.
    const r = childProcess().spawnSync("git", ["config", "user.name"], {
      cwd,
      encoding: "utf8",
      timeout: 2000,
      maxBuffer: 64 * 1024,
    });
    const name = r.status === 0 ? String(r.stdout).trim() : "";
    if (name) return name;
  } catch { /* git missing: fall through */ }
  return env.USER || "unknown";
}
