import { spawn, execFileSync } from "node:child_process";
import * as path from "node:path";
import { projectRoot } from "../../support/runTool";

// No child outlives its tool: the policy pack's server ends with the plan, however the plan ends.
/** The policy pack servers `pid` started: processes whose parent it is, running the pack's entry. */
function packServersOf(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes(path.join("policies", "index.ts")))
      .map((line) => Number(line.trim().split(/\s+/)[0]));
  } catch {
    return [];
  }
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

describe.each(["SIGKILL", "SIGTERM"] as const)("a plan ended by %s", (signal) => {
  it("takes the policy pack's server with it", async () => {
    const plan = spawn(process.execPath, [path.join(projectRoot, "scripts", "run-ts.js"), "tools/plan/plan.ts"], {
      cwd: projectRoot,
      stdio: "ignore",
      env: { ...process.env, PULUMI_CONFIG: "", PULUMI_CONFIG_SECRET_KEYS: "" },
    });
    let server: number | undefined;
    expect(await until(() => (server = packServersOf(plan.pid!)[0]) !== undefined, 20_000)).toBe(true);
    plan.kill(signal);
    expect(await until(() => !alive(server!), 10_000)).toBe(true);
  }, 40_000);
});
