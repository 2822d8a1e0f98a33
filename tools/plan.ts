/**
 * `npm run plan [-- --stack NAME] [--json] [--report FORMAT=FILE] …`: runs index.ts — the program
 * `pulumi up` runs — under Pulumi's mock runtime with the stack's committed configuration, prints
 * what it would create, and evaluates the policy pack on it through the pack's own analyzer server.
 * No Azure account, no Pulumi CLI. Exit codes: 0 ok, 1 invalid configuration, a mandatory policy
 * violation or a program error, 2 bad usage.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { markSecretsOpaque } from "../config/opaqueSecrets";
import { planSecretsFromEnvironments } from "./planSecrets";
import { readStackFiles, StackFileError } from "./stackFiles";
import { ProgramRecording, resolveOutput, startMockRuntime } from "./mockRuntime";
import { renderPlanJson, renderPlanText, PlanOutput } from "./planRender";
import { PolicyConfigError } from "./policyConfig";
import { mandatoryCount, renderJson as renderPolicyJson, renderText as renderPolicyText } from "./policyReport";
import { resourcesFromRecording } from "./policyResources";
import { evaluatePolicies, PACK_DIR, parseReportTarget, PolicyAnalyzer, ReportTarget, writeReports } from "./policyRun";

export interface PlanArgs {
  readonly stack: string;
  readonly json: boolean;
  /** Where index.ts lives. */
  readonly root: string;
  /** Where Pulumi.yaml and Pulumi.<stack>.yaml are read from; default: root. */
  readonly stackDir: string;
  /** Evaluate the policy pack on the plan (default true). */
  readonly policy?: boolean;
  readonly policyConfig?: string;
  readonly reports?: ReportTarget[];
}

const USAGE =
  "usage: npm run plan -- [--stack NAME] [--json] [--dir DIR] [--policy-config FILE] [--report FORMAT=FILE] [--no-policy]";

export function parsePlanArgs(argv: readonly string[], root: string): PlanArgs | string {
  let stack = "dev";
  let json = false;
  let stackDir = root;
  let policy = true;
  let policyConfig: string | undefined;
  const reports: ReportTarget[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    const takesValue = ["--stack", "-s", "--dir", "--policy-config", "--report"].includes(arg);
    if (takesValue && (value === undefined || value.startsWith("-"))) return `${arg} needs a value; ${USAGE}`;
    if (arg === "--json") json = true;
    else if (arg === "--no-policy") policy = false;
    else if (arg === "--stack" || arg === "-s") stack = argv[++i];
    else if (arg.startsWith("--stack=")) stack = arg.slice("--stack=".length);
    else if (arg === "--dir") stackDir = path.resolve(argv[++i]);
    else if (arg === "--policy-config") policyConfig = path.resolve(argv[++i]);
    else if (arg === "--report") {
      const target = parseReportTarget(argv[++i]);
      if (typeof target === "string") return target;
      reports.push(target);
    } else return `unknown argument '${arg}'; ${USAGE}`;
  }
  return { stack, json, root, stackDir, policy, policyConfig, reports };
}

export interface PlanResult {
  readonly recording: ProgramRecording;
  readonly outputs: PlanOutput[];
  /** Secret keys present but not readable here, and where they come from. */
  readonly opaqueSecrets: { key: string; source: string }[];
}

/** Loads the stack's config into the runtime, runs the program under mocks, and collects what it registered. */
export async function runPlan(args: PlanArgs): Promise<PlanResult> {
  const files = readStackFiles(args.stackDir, args.stack);
  const fromEnvironments = planSecretsFromEnvironments(files);
  pulumi.runtime.setAllConfig({ ...files.config, ...fromEnvironments.config }, [...files.secretKeys, ...fromEnvironments.keys]);
  markSecretsOpaque([...files.opaqueKeys, ...fromEnvironments.keys]);
  const recording = startMockRuntime({ project: files.project, stack: files.stack, preview: true });

  const program = require(path.join(args.root, "index.ts")) as Record<string, unknown>;
  const outputs: PlanOutput[] = [];
  for (const [name, value] of Object.entries(program)) {
    const resolved = await resolveOutput(value as pulumi.Input<unknown>);
    outputs.push({ name, ...resolved });
  }
  await pulumi.runtime.disconnect();
  const opaqueSecrets = [
    ...files.opaqueKeys.map((key) => ({ key, source: `encrypted in Pulumi.${files.stack}.yaml` })),
    ...fromEnvironments.keys.map((key) => ({ key, source: `ESC environment ${files.environments.join(", ")}` })),
  ];
  return { recording, outputs, opaqueSecrets };
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, "..");
  const args = parsePlanArgs(process.argv.slice(2), root);
  if (typeof args === "string") {
    console.error(args);
    return 2;
  }
  // A program error may surface from a pending registration rather than from require().
  let asyncFailure: unknown;
  process.on("unhandledRejection", (reason) => (asyncFailure ??= reason));
  // The pack's server starts in its own process while the program runs.
  const analyzer = args.policy ? PolicyAnalyzer.start(PACK_DIR) : undefined;
  try {
    const result = await runPlan(args);
    if (asyncFailure) throw asyncFailure;
    if (!args.policy) {
      console.log(args.json ? renderPlanJson(args.stack, result) : renderPlanText(args.stack, result));
      return 0;
    }
    const run = await evaluatePolicies({
      resources: resourcesFromRecording(result.recording),
      stack: args.stack,
      source: `offline plan of Pulumi.${args.stack}.yaml`,
      artifact: `Pulumi.${args.stack}.yaml`,
      configFile: args.policyConfig,
      analyzer,
    });
    writeReports(run, args.reports ?? []);
    if (args.json) {
      const plan = JSON.parse(renderPlanJson(args.stack, result)) as Record<string, unknown>;
      console.log(JSON.stringify({ ...plan, policy: JSON.parse(renderPolicyJson(run)) }, null, 2));
    } else {
      console.log(`${renderPlanText(args.stack, result)}\n\n${renderPolicyText(run)}`);
    }
    // A mandatory violation fails the plan, as it would fail `pulumi preview --policy-pack policies`.
    return mandatoryCount(run) > 0 ? 1 : 0;
  } catch (error) {
    const known =
      error instanceof StackFileError ||
      error instanceof PolicyConfigError ||
      (error as { __pulumiRunError?: boolean }).__pulumiRunError;
    const message = error instanceof Error ? error.message : String(error);
    await analyzer?.then((a) => a.close()).catch(() => undefined);
    console.error(
      known
        ? `plan failed for stack '${args.stack}':\n${message}`
        : `plan failed for stack '${args.stack}': ${(error as Error).stack ?? message}`,
    );
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
