import * as fs from "node:fs";
import * as path from "node:path";
import { AnalyzerResource, AnalyzerStarter, PolicyAnalyzer } from "./policyAnalyzer";
export { PolicyAnalyzer };
export type { AnalyzerStarter };
import { anyResourceRuleChecks } from "../../policies/rules";
import { CONFIG_NAMESPACE } from "../../config/stackConfigTypes";
import { projectAnchors } from "./policyAnchors";
import { readPolicyConfigFile, resolvePolicyConfig } from "./policyConfig";
import { PolicyRun } from "./policyReport";
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
