/**
 * `npm run plan [-- --stack NAME] [--json] [--report FORMAT=FILE] …`: runs index.ts — the program
 * `pulumi up` runs — under Pulumi's mock runtime with the stack's committed configuration, prints
 * what it would create, and evaluates the policy pack on it through the pack's own analyzer server.
 * No Azure account, no Pulumi CLI. Exit codes: 0 ok, 1 invalid configuration, a mandatory policy
 * violation or a program error, 2 bad usage.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { clearOpaqueSecrets, markSecretsOpaque } from "../../config/opaqueSecrets";
import { planSecretsFromEnvironments } from "./planSecrets";
import { readStackFiles } from "../shared/stackFiles";
import { parseCli, reportError, stackNameProblem, userPath } from "../shared/cli";
import { AzureMocks, AzureMocksOptions } from "../mocks/azureMocks";
import { ProgramRecording, runProgramUnderMocks } from "../mocks/mockRuntime";
import { renderPlanJson, renderPlanText, PlanOutput } from "./planRender";
import { renderJson as renderPolicyJson, renderText as renderPolicyText, runFails } from "../policy/policyReport";
import { resourcesFromRecording } from "./recordedResources";
import type { AnalyzerStarter } from "../policy/policyAnalyzer";
import { parseReportTargets, ReportTarget, writeReports } from "../policy/reportTargets";
import { PROJECT_ROOT } from "../shared/projectRoot";
import { runAsCommand, ToolIO } from "../shared/toolMain";

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
  /** Exit 0 even when the policy config disables every rule. */
  readonly allowNothingChecked?: boolean;
}

const USAGE = `usage: npm run -s plan -- [--stack NAME] [--json] [--dir DIR] [--policy-config FILE] [--report FORMAT=FILE]... [--no-policy]

  --stack, -s NAME      the stack to plan (default dev): Pulumi.NAME.yaml
  --json                the plan (and policy results) as JSON on stdout; errors as JSON too
  --dir DIR             where Pulumi.yaml and the stack file are (default: this project)
  --policy-config FILE  the policy pack's configuration (default: policies/config/NAME.json when it exists)
  --report FORMAT=FILE  also write the policy report (text, markdown, json, sarif; repeatable)
  --no-policy           plan only
  --allow-nothing-checked  exit 0 even when the policy config disables every rule
  -h, --help            this help

Use \`npm run -s\` (silent) to get clean JSON: npm's own banner lines are then left out.
Relative paths are taken from the directory you ran npm in. Exit: 0 ok, 1 invalid config, a mandatory violation or an error, 2 bad usage.`;

export function parsePlanArgs(argv: readonly string[], root: string): PlanArgs | string | { help: string } {
  const parsed = parseCli<{
    stack?: string;
    json?: boolean;
    dir?: string;
    "policy-config"?: string;
    report?: string[];
    "no-policy"?: boolean;
    "allow-nothing-checked"?: boolean;
  }>(
    argv,
    {
      stack: { type: "string", short: "s" },
      json: { type: "boolean" },
      dir: { type: "string" },
      "policy-config": { type: "string" },
      report: { type: "string", multiple: true },
      "no-policy": { type: "boolean" },
      "allow-nothing-checked": { type: "boolean" },
    },
    USAGE,
  );
  if (parsed.kind === "help") return { help: parsed.text };
  if (parsed.kind === "usage-error") return parsed.message;
  const v = parsed.values;
  const stack = v.stack ?? "dev";
  const badName = stackNameProblem(stack);
  if (badName) return `--stack: ${badName}`;
  const reports = parseReportTargets(v.report ?? []);
  if (typeof reports === "string") return reports;
  return {
    stack,
    json: v.json ?? false,
    root,
    stackDir: v.dir ? userPath(v.dir) : root,
    policy: !v["no-policy"],
    allowNothingChecked: v["allow-nothing-checked"] ?? false,
    policyConfig: v["policy-config"] && userPath(v["policy-config"]),
    reports,
  };
}

export interface PlanResult {
  readonly recording: ProgramRecording;
  readonly outputs: PlanOutput[];
  /** Secret keys present but not readable here, and where they come from. */
  readonly opaqueSecrets: { key: string; source: string }[];
}

/** Loads the stack's config into the runtime, runs the program under mocks, and collects what it registered. */
export async function runPlan(
  args: PlanArgs,
  computedValues: AzureMocksOptions["computedValues"] = "unknown",
): Promise<PlanResult> {
  const files = readStackFiles(args.stackDir, args.stack);
  const fromEnvironments = planSecretsFromEnvironments(files);
  pulumi.runtime.setAllConfig({ ...files.config, ...fromEnvironments.config }, [...files.secretKeys, ...fromEnvironments.keys]);
  // Set anew for each run: one process may plan several stacks.
  clearOpaqueSecrets();
  markSecretsOpaque([...files.opaqueKeys, ...fromEnvironments.keys]);
  // As `pulumi preview` shows a new stack: ids, generated names, keys and principal ids are not known yet.
  const { recording, outputs } = await runProgramUnderMocks(path.join(args.root, "index.ts"), {
    project: files.project,
    stack: files.stack,
    mocks: new AzureMocks({ computedValues }),
  });
  const opaqueSecrets = [
    ...files.opaqueKeys.map((key) => ({ key, source: `encrypted in Pulumi.${files.stack}.yaml` })),
    ...fromEnvironments.keys.map((key) => ({ key, source: `ESC environment ${files.environments.join(", ")}` })),
  ];
  return { recording, outputs, opaqueSecrets };
}

/**
 * The policy pack's tooling (its rules, its configuration schema, the analyzer's client), loaded when
 * a plan evaluates the pack: `--no-policy` plans the way `pulumi preview` without a pack runs.
 */
const policyRun = () => require("../policy/policyRun") as typeof import("../policy/policyRun");
const startPackAnalyzer: AnalyzerStarter = () => policyRun().startPackAnalyzer();

export async function main(
  argv: readonly string[],
  io: ToolIO,
  startAnalyzer: AnalyzerStarter = startPackAnalyzer,
): Promise<number> {
  const args = parsePlanArgs(argv, PROJECT_ROOT);
  if (typeof args === "object" && "help" in args) {
    io.out(args.help);
    return 0;
  }
  if (typeof args === "string") {
    reportError(args, argv.includes("--json"), io);
    return 2;
  }
  return planAndCheck(args, io, startAnalyzer);
}

async function planAndCheck(args: PlanArgs, io: ToolIO, startAnalyzer: AnalyzerStarter): Promise<number> {
  // The pack's server starts in its own process while the program runs.
  const analyzer = args.policy ? startAnalyzer() : undefined;
  try {
    const result = await runPlan(args);
    if (!args.policy) {
      io.out(args.json ? renderPlanJson(args.stack, result) : renderPlanText(args.stack, result));
      return 0;
    }
    const run = await policyRun().evaluatePolicies({
      resources: resourcesFromRecording(result.recording),
      stack: args.stack,
      source: `offline plan of Pulumi.${args.stack}.yaml`,
      artifact: `Pulumi.${args.stack}.yaml`,
      stackDir: args.stackDir,
      configFile: args.policyConfig,
      analyzer,
    });
    writeReports(run, args.reports ?? []);
    if (args.json) {
      const plan = JSON.parse(renderPlanJson(args.stack, result)) as Record<string, unknown>;
      io.out(JSON.stringify({ ...plan, policy: JSON.parse(renderPolicyJson(run)) }, null, 2));
    } else {
      io.out(`${renderPlanText(args.stack, result)}\n\n${renderPolicyText(run)}`);
    }
    // A mandatory violation fails the plan, as it would fail `pulumi preview --policy-pack policies`.
    return runFails(run, args.allowNothingChecked) ? 1 : 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await analyzer?.then((a) => a.close()).catch(() => undefined);
    // Known failures (config, files, policy config, reports) and program errors alike: the message,
    // never a stack trace (which would show this machine's paths and nothing a user can act on).
    reportError(`plan failed for stack '${args.stack}':\n${message}`, args.json, io);
    return 1;
  }
}

if (require.main === module) runAsCommand("plan", main);
