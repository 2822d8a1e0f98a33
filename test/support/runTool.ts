import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { ToolIO } from "../../tools/shared/toolMain";
import type { AnalyzerStarter, PolicyAnalyzer } from "../../tools/policy/policyAnalyzer";
import { connectToWorkersAnalyzer } from "./sharedAnalyzers";

export const projectRoot = path.resolve(__dirname, "..", "..");
const exec = promisify(execFile);

const npmScripts = (
  JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

/** The entry file `npm run <name>` starts: tests run the tools the way package.json does. */
function toolEntry(npmScript: string): string {
  const entry = /^node scripts\/run-ts\.js (\S+)$/.exec(npmScripts[npmScript] ?? "")?.[1];
  if (!entry) throw new Error(`package.json has no tool script '${npmScript}'`);
  return path.join(projectRoot, entry);
}

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// The policy-pack server of this jest worker (test/support/sharedAnalyzers.ts), configured anew by
// every run as the engine's would be; outside such a run, one server per test file.
let analyzer: Promise<PolicyAnalyzer> | undefined;
function sharedAnalyzer(): Promise<PolicyAnalyzer> {
  // Loaded on first use: test files that never run a tool do not load the policy tooling.
  const { startPackAnalyzer } = require("../../tools/policy/policyRun") as typeof import("../../tools/policy/policyRun");
  analyzer ??= Promise.resolve(connectToWorkersAnalyzer() ?? startPackAnalyzer()).then((server) => server.retain());
  return analyzer;
}
afterAll(async () => (await analyzer)?.shutDown());

/**
 * Runs one of the project's command-line tools by its npm script name (plan, policy, doctor,
 * plan:bootstrap, docs) in this process: the tool's own `main`, with its output captured. This is
 * the tool's whole logic — arguments, files, the program under mocks, the policy pack's server,
 * exit code — without the cost of a new Node.js process; what only a process shows (the exit
 * itself, environment variables, a crash) is tested through {@link runToolProcess}. Never throws.
 */
export async function runTool(npmScript: string, ...args: string[]): Promise<ToolRun> {
  const { main } = require(toolEntry(npmScript)) as {
    main: (argv: readonly string[], io: ToolIO, startAnalyzer?: AnalyzerStarter) => Promise<number>;
  };
  let stdout = "";
  let stderr = "";
  const io: ToolIO = { out: (text) => void (stdout += `${text}\n`), err: (text) => void (stderr += `${text}\n`) };
  const code = await main(args, io, sharedAnalyzer);
  return { code, stdout, stderr };
}

/**
 * Like runTool, with environment variables set for the run's duration (and put back after). For
 * settings the tools read when they run, such as the GitHub Actions variables of the SARIF report;
 * tests in one file run one after another, so no other run sees them.
 */
export async function runToolInEnv(env: Record<string, string>, npmScript: string, ...args: string[]): Promise<ToolRun> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await runTool(npmScript, ...args);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Runs a tool as `npm run <name>` does, in its own Node.js process; never throws on a non-zero exit. */
export async function runToolProcess(npmScript: string, ...args: string[]): Promise<ToolRun> {
  return runToolWithEnv({}, npmScript, ...args);
}

/** Like runToolProcess, with extra environment variables. */
async function runToolWithEnv(env: NodeJS.ProcessEnv, npmScript: string, ...args: string[]): Promise<ToolRun> {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      [path.join(projectRoot, "scripts", "run-ts.js"), toolEntry(npmScript), ...args],
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
