import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool, ToolRun } from "./runTool";

/**
 * `npm run plan -- <args>` on the committed stack files, run once per test run and shared by the
 * test files that read the same plan (several check different things in each committed stack's
 * plan). The files do not change during a run, so the answer cannot either; it is kept in the run's
 * own temporary directory (test/support/tempRoot.ts), which the run removes at its end. A file that
 * reads a kept answer loads neither the Pulumi SDK nor the program.
 */
export async function committedPlan(...args: string[]): Promise<ToolRun> {
  const root = process.env.ACS_TEST_RUN_TMPDIR;
  // Outside a jest run (no run directory) there is nothing to share with.
  if (!root) return runTool("plan", ...args);
  const dir = path.join(root, "committed-plans");
  const file = path.join(dir, `${createHash("sha256").update(args.join("\0")).digest("hex").slice(0, 16)}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as ToolRun;
  } catch {
    // Not planned yet in this run (or planned by another worker at this very moment: both write the same).
  }
  const run = await runTool("plan", ...args);
  fs.mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, JSON.stringify(run));
  fs.renameSync(partial, file);
  return run;
}
