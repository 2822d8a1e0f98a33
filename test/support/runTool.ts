import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

export const projectRoot = path.resolve(__dirname, "..", "..");
const exec = promisify(execFile);

/** Runs one of the project's command-line tools (tools/NAME.ts) as `npm run` would, and never throws on a non-zero exit. */
export async function runTool(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runToolWithEnv({}, script, ...args);
}

/** Like runTool, with extra environment variables. */
export async function runToolWithEnv(
  env: NodeJS.ProcessEnv,
  script: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      [path.join(projectRoot, "scripts", "run-ts.js"), path.join(projectRoot, "tools", script), ...args],
      {
        cwd: projectRoot,
        // A test runner's own Pulumi config must not leak into the tool.
        env: { ...process.env, PULUMI_CONFIG: "", PULUMI_CONFIG_SECRET_KEYS: "", ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
