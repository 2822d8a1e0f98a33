/**
 * `npm run policy -- --state FILE`: evaluates the policy pack against a `pulumi stack export`
 * file, for stacks that already exist. Options: --stack NAME (default: from the URNs),
 * --policy-config FILE, --format text|markdown|json|sarif (stdout), --report FORMAT=FILE (repeatable).
 * Exit codes: 0 no mandatory violation, 1 mandatory violations or an error, 2 bad usage.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stackOfUrn } from "../policies/rules/props";
import { PolicyConfigError } from "./policyConfig";
import { mandatoryCount, REPORT_FORMATS, ReportFormat, renderReport } from "./policyReport";
import { resourcesFromStackExport, StackExportError } from "./policyResources";
import { evaluatePolicies, parseReportTarget, ReportTarget, writeReports } from "./policyRun";

interface PolicyArgs {
  state: string;
  stack?: string;
  configFile?: string;
  format: ReportFormat;
  reports: ReportTarget[];
}

const USAGE =
  "usage: npm run policy -- --state FILE [--stack NAME] [--policy-config FILE] [--format text|markdown|json|sarif] [--report FORMAT=FILE]";

export function parsePolicyArgs(argv: readonly string[]): PolicyArgs | string {
  const args: Partial<PolicyArgs> & { reports: ReportTarget[] } = { format: "text", reports: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const needValue = () => (value === undefined || value.startsWith("--") ? `${flag} needs a value; ${USAGE}` : undefined);
    switch (flag) {
      case "--state":
      case "--stack":
      case "--policy-config":
      case "--format":
      case "--report": {
        const missing = needValue();
        if (missing) return missing;
        i++;
        if (flag === "--state") args.state = value;
        else if (flag === "--stack") args.stack = value;
        else if (flag === "--policy-config") args.configFile = value;
        else if (flag === "--format") {
          if (!REPORT_FORMATS.includes(value as ReportFormat))
            return `--format must be one of ${REPORT_FORMATS.join(", ")}; got '${value}'`;
          args.format = value as ReportFormat;
        } else {
          const target = parseReportTarget(value);
          if (typeof target === "string") return target;
          args.reports.push(target);
        }
        break;
      }
      default:
        return `unknown argument '${flag}'; ${USAGE}`;
    }
  }
  if (!args.state) return `--state is required; ${USAGE}`;
  return args as PolicyArgs;
}

async function main(): Promise<number> {
  const args = parsePolicyArgs(process.argv.slice(2));
  if (typeof args === "string") {
    console.error(args);
    return 2;
  }
  try {
    let exported: unknown;
    try {
      exported = JSON.parse(fs.readFileSync(args.state, "utf8"));
    } catch (error) {
      throw new StackExportError(`cannot read ${args.state} as JSON: ${(error as Error).message}`);
    }
    const resources = resourcesFromStackExport(exported);
    const stack = args.stack ?? (stackOfUrn(resources[0]?.urn ?? "") || "unknown");
    const run = await evaluatePolicies({
      resources,
      stack,
      source: `state export ${path.basename(args.state)}`,
      artifact: `Pulumi.${stack}.yaml`,
      configFile: args.configFile,
    });
    writeReports(run, args.reports);
    console.log(renderReport(run, args.format));
    return mandatoryCount(run) > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof StackExportError || error instanceof PolicyConfigError) {
      console.error(`policy check failed: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
