import * as fs from "node:fs";
import * as path from "node:path";
import { userPath } from "../shared/cli";
import { AnalyzerResource, AnalyzerStarter, PolicyAnalyzer } from "./policyAnalyzer";
export { PolicyAnalyzer };
export type { AnalyzerStarter };
import { anyResourceRuleChecks } from "../../policies/rules";
import { CONFIG_NAMESPACE } from "../../config/stackConfigTypes";
import { projectAnchors } from "./policyAnchors";
import { readPolicyConfigFile, resolvePolicyConfig } from "./policyConfig";
import { PolicyRun, REPORT_FORMATS, ReportFormat, renderReport } from "./policyReport";
import { PROJECT_ROOT, shownPath } from "../shared/projectRoot";

export const PACK_DIR = path.join(PROJECT_ROOT, "policies");

/** How a run gets the pack's analyzer unless its caller keeps one: a new server for this project's pack. */
export const startPackAnalyzer: AnalyzerStarter = () => PolicyAnalyzer.start(PACK_DIR);

/** The committed per-stack pack configuration, used when no --policy-config is given. */
export function defaultPolicyConfigFile(stack: string): string | undefined {
  const file = path.join(PACK_DIR, "config", `${stack}.json`);
  return fs.existsSync(file) ? file : undefined;
}

export interface EvaluateArgs {
  readonly resources: readonly AnalyzerResource[];
  readonly stack: string;
  readonly source: string;
  readonly artifact: string;
  /** Pack config file; default: policies/config/<stack>.json when it exists. */
  readonly configFile?: string;
  /** `resource.property` paths the input holds encrypted. */
  readonly encryptedProperties?: readonly string[];
  /** What reading the input skipped or converted. */
  readonly notes?: readonly string[];
  /** The directory holding `Pulumi.<stack>.yaml` (findings are anchored at its lines); default: the project. */
  readonly stackDir?: string;
  /** An analyzer started earlier (to overlap its start-up with other work); closed here. */
  readonly analyzer?: Promise<PolicyAnalyzer>;
}

/** Runs the pack's own analyzer server over the resources, as the engine would. */
export async function evaluatePolicies(args: EvaluateArgs): Promise<PolicyRun> {
  const analyzer = await (args.analyzer ?? startPackAnalyzer());
  try {
    const pack = await analyzer.info();
    const configFile = args.configFile ?? defaultPolicyConfigFile(args.stack);
    const config = resolvePolicyConfig(
      configFile ? readPolicyConfigFile(configFile) : undefined,
      pack,
      configFile ? shownPath(configFile) : "policy config",
    );
    await analyzer.configure(config);
    const diagnostics = await analyzer.analyze(args.resources, anyResourceRuleChecks);
    return {
      pack,
      stack: args.stack,
      source: args.source,
      artifact: args.artifact,
      config,
      configSource: configFile ? shownPath(configFile) : "none (the pack's default levels)",
      resourceCount: args.resources.length,
      encryptedProperties: args.encryptedProperties ?? [],
      notes: args.notes ?? [],
      anchors: projectAnchors(
        pack.rules.map((r) => r.name),
        CONFIG_NAMESPACE,
        PROJECT_ROOT,
        args.stackDir ?? PROJECT_ROOT,
        args.stack,
      ),
      diagnostics,
    };
  } finally {
    analyzer.close();
  }
}

/** `--report FORMAT=FILE`, repeatable: one run, several reports (PR comment, code scanning, …). */
export interface ReportTarget {
  readonly format: ReportFormat;
  readonly file: string;
}

export function parseReportTarget(value: string): ReportTarget | string {
  const eq = value.indexOf("=");
  const format = (eq > 0 ? value.slice(0, eq) : "") as ReportFormat;
  const file = eq > 0 ? value.slice(eq + 1) : "";
  if (!REPORT_FORMATS.includes(format) || !file)
    return `--report needs FORMAT=FILE with FORMAT one of ${REPORT_FORMATS.join(", ")}; got '${value}'`;
  return { format, file: userPath(file) };
}

/** Every `--report FORMAT=FILE` of a command line, or the first problem with one. */
export function parseReportTargets(values: readonly string[]): ReportTarget[] | string {
  const targets: ReportTarget[] = [];
  for (const value of values) {
    const target = parseReportTarget(value);
    if (typeof target === "string") return target;
    // Two reports into one file: the second would silently replace the first.
    const earlier = targets.find((t) => path.resolve(t.file) === path.resolve(target.file));
    if (earlier)
      return `--report: ${earlier.format} and ${target.format} both name ${target.file}; give each report its own file`;
    targets.push(target);
  }
  return targets;
}

/** A report that could not be written; the message is one line naming the file and why. */
export class ReportWriteError extends Error {}

export function writeReports(run: PolicyRun, targets: readonly ReportTarget[]): void {
  for (const t of targets) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(t.file)), { recursive: true });
      fs.writeFileSync(t.file, renderReport(run, t.format) + "\n");
    } catch (error) {
      const code = (error as { code?: string }).code ?? "error";
      throw new ReportWriteError(`cannot write the ${t.format} report to ${t.file} (${code})`);
    }
  }
}
