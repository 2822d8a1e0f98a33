/**
 * `npm run plan:bootstrap [-- --stack NAME] [--json]`: runs bootstrap/index.ts — the GitOps set-up
 * program — under Pulumi's mock runtime with its committed stack file and prints what it would
 * create, as `npm run plan` does for the main program. No Azure, no GitHub, no Pulumi CLI.
 * Exit codes: 0 ok, 1 invalid configuration or a program error, 2 bad usage.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { exitWithoutWork, parseCli, reportError, stackNameProblem, userPath } from "../shared/cli";
import { runAsCommand, ToolIO } from "../shared/toolMain";
import { GitHubAndAzureMocks } from "../mocks/githubMocks";
import { ProgramRecording, runProgramUnderMocks } from "../mocks/mockRuntime";
import { renderPlanJson, renderPlanText, PlanOutput } from "./planRender";
import { readStackFiles } from "../shared/stackFiles";
import { PROJECT_ROOT } from "../shared/projectRoot";

export const BOOTSTRAP_DIR = path.join(PROJECT_ROOT, "bootstrap");

const USAGE = `usage: npm run -s plan:bootstrap -- [--stack NAME] [--json] [--dir DIR]

  --stack, -s NAME   the bootstrap's stack (default gitops): bootstrap/Pulumi.NAME.yaml
  --json             the plan as JSON on stdout; errors as JSON too
  --dir DIR          where the bootstrap's Pulumi.yaml and stack file are (default: bootstrap/)
  -h, --help         this help

Exit: 0 ok, 1 invalid configuration or a program error, 2 bad usage.`;

export interface BootstrapPlan {
  readonly recording: ProgramRecording;
  readonly outputs: PlanOutput[];
  readonly opaqueSecrets: { key: string; source: string }[];
}

/** The packages the bootstrap program loads from its own node_modules (bootstrap/package.json). */
const BOOTSTRAP_PACKAGES = ["@pulumi/github", "@pulumi/azure-native", "@pulumi/pulumi"];

/**
 * What to do when bootstrap/'s own dependencies are not installed — a separate npm project, so
 * `npm ci` at the root does not install them — instead of a module-not-found error and a require stack.
 */
export function bootstrapInstallProblem(dir: string = BOOTSTRAP_DIR): string | undefined {
  const missing = BOOTSTRAP_PACKAGES.filter((name) => {
    try {
      return !require.resolve(`${name}/package.json`, { paths: [dir] }).startsWith(path.join(dir, "node_modules"));
    } catch {
      return true;
    }
  });
  return missing.length === 0
    ? undefined
    : `bootstrap/ is its own npm project and its dependencies are not installed (${missing.join(", ")}): run \`npm run bootstrap:install\` first`;
}

/** Runs the bootstrap program under mocks with `bootstrap/Pulumi.<stack>.yaml`. */
export async function runBootstrapPlan(
  stack: string,
  computedValues: "modelled" | "unknown" = "unknown",
  stackDir: string = BOOTSTRAP_DIR,
): Promise<BootstrapPlan> {
  const files = readStackFiles(stackDir, stack);
  pulumi.runtime.setAllConfig(files.config, files.secretKeys);
  const { recording, outputs } = await runProgramUnderMocks(path.join(BOOTSTRAP_DIR, "index.ts"), {
    project: files.project,
    stack: files.stack,
    mocks: new GitHubAndAzureMocks({ computedValues }),
  });
  return { recording, outputs, opaqueSecrets: [] };
}

export async function main(argv: readonly string[], io: ToolIO): Promise<number> {
  const parsed = parseCli<{ stack?: string; json?: boolean; dir?: string }>(
    argv,
    { stack: { type: "string", short: "s" }, json: { type: "boolean" }, dir: { type: "string" } },
    USAGE,
  );
  const json = argv.includes("--json");
  if (parsed.kind !== "ok") return exitWithoutWork(parsed, json, io);
  const stack = parsed.values.stack ?? "gitops";
  const badName = stackNameProblem(stack);
  if (badName) {
    reportError(`--stack: ${badName}`, json, io);
    return 2;
  }
  const notInstalled = bootstrapInstallProblem();
  if (notInstalled) {
    reportError(notInstalled, json, io);
    return 1;
  }
  try {
    const plan = await runBootstrapPlan(stack, "unknown", parsed.values.dir ? userPath(parsed.values.dir) : BOOTSTRAP_DIR);
    io.out(json ? renderPlanJson(stack, plan) : renderPlanText(stack, plan));
    return 0;
  } catch (error) {
    reportError(
      `bootstrap plan failed for stack '${stack}':\n${error instanceof Error ? error.message : String(error)}`,
      json,
      io,
    );
    return 1;
  }
}

if (require.main === module) runAsCommand("plan:bootstrap", main);
