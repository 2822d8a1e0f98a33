/**
 * `npm run policy -- --state FILE`: evaluates the policy pack against a `pulumi stack export`
 * file, for stacks that already exist. Options: --stack NAME (default: from the URNs),
 * --policy-config FILE, --format text|markdown|json|sarif (stdout), --report FORMAT=FILE (repeatable).
 * Exit codes: 0 no mandatory violation, 1 mandatory violations, an empty export or an error, 2 bad usage.
 */
import { parseCli, reportError, stackNameProblem, userPath } from "../shared/cli";
import { describeThrown, runAsCommand, ToolIO } from "../shared/toolMain";
import { readJsonFile } from "../shared/readFiles";
import { shownPath } from "../shared/projectRoot";
import { stackOfUrn } from "../../policies/framework/props";
import { PolicyConfigError } from "./policyConfig";
import { REPORT_FORMATS, ReportFormat, renderReport, runFails } from "./policyReport";
import { readStackExport, StackExportError } from "./stackExport";
import { AnalyzerStarter, evaluatePolicies, startPackAnalyzer } from "./policyRun";
import { parseReportTargets, ReportTarget, ReportWriteError, writeReports } from "./reportTargets";

/**
 * The largest `pulumi stack export` read: a 20,000-resource export is ~40 MB; reading one takes about
 * four times its size in memory (text, parsed value, converted properties), so this bounds the tool.
 */
export const MAX_STATE_EXPORT_BYTES = 256 * 1024 * 1024;

/**
 * The stack an export's URNs name, when they all name one and it is a stack name: it picks the
 * policy config file (policies/config/<stack>.json) and appears in reports and PR comments, so a
 * URN cannot steer either — not to a file outside the project, not into a report's markup.
 */
export function stackFromExport(urns: readonly string[]): string {
  const named = new Set(urns.map(stackOfUrn));
  const [only] = named;
  return named.size === 1 && only && stackNameProblem(only) === undefined ? only : "unknown";
}

interface PolicyArgs {
  state: string;
  stack?: string;
  configFile?: string;
  format: ReportFormat;
  reports: ReportTarget[];
  readonly allowNothingChecked: boolean;
}

const USAGE = `usage: npm run -s policy -- --state FILE [--stack NAME] [--policy-config FILE] [--format text|markdown|json|sarif] [--report FORMAT=FILE]...

  --state FILE          a \`pulumi stack export\` file
  --stack NAME          the stack, for the report (default: from the resources' URNs)
  --policy-config FILE  the pack's configuration (the --policy-pack-config JSON)
  --format FORMAT       what stdout gets (default text)
  --report FORMAT=FILE  also write a report (repeatable)
  --allow-nothing-checked  exit 0 even when nothing was checked (an empty export, or a config that disables every rule)
  -h, --help            this help

Relative paths are taken from the directory you ran npm in. Exit: 0 no mandatory violation, 1 violations, nothing
checked (unless allowed) or an error, 2 bad usage.`;

export function parsePolicyArgs(argv: readonly string[]): PolicyArgs | string | { help: string } {
  const parsed = parseCli<{
    state?: string;
    stack?: string;
    "policy-config"?: string;
    format?: string;
    report?: string[];
    "allow-nothing-checked"?: boolean;
  }>(
    argv,
    {
      state: { type: "string" },
      stack: { type: "string" },
      "policy-config": { type: "string" },
      format: { type: "string" },
      report: { type: "string", multiple: true },
      "allow-nothing-checked": { type: "boolean" },
    },
    USAGE,
  );
  if (parsed.kind === "help") return { help: parsed.text };
  if (parsed.kind === "usage-error") return parsed.message;
  const v = parsed.values;
  if (!v.state) return `--state is required\n${USAGE}`;
  const format = (v.format ?? "text") as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) return `--format must be one of ${REPORT_FORMATS.join(", ")}; got '${v.format}'`;
  if (v.stack !== undefined && stackNameProblem(v.stack)) return `--stack: ${stackNameProblem(v.stack)}`;
  const reports = parseReportTargets(v.report ?? []);
  if (typeof reports === "string") return reports;
  return {
    state: userPath(v.state),
    stack: v.stack,
    configFile: v["policy-config"] && userPath(v["policy-config"]),
    format,
    reports,
    allowNothingChecked: v["allow-nothing-checked"] ?? false,
  };
}

export async function main(
  argv: readonly string[],
  io: ToolIO,
  startAnalyzer: AnalyzerStarter = startPackAnalyzer,
): Promise<number> {
  const json = argv.some((a, i) => a === "--format" && argv[i + 1] === "json") || argv.includes("--format=json");
  const args = parsePolicyArgs(argv);
  if (typeof args === "object" && "help" in args) {
    io.out(args.help);
    return 0;
  }
  if (typeof args === "string") {
    reportError(args, json, io);
    return 2;
  }
  // The pack's server starts in its own process while the export is read.
  const analyzer = startAnalyzer();
  analyzer.catch(() => undefined); // awaited below; a failed start is reported there
  try {
    let exported: ReturnType<typeof readStackExport>;
    try {
      exported = readStackExport(readJsonFile(args.state, "the state export", { maxBytes: MAX_STATE_EXPORT_BYTES }));
    } catch (error) {
      throw error instanceof StackExportError ? error : new StackExportError((error as Error).message);
    }
    const { resources, encryptedProperties, notes } = exported;
    const stack = args.stack ?? stackFromExport(resources.map((r) => r.urn));
    const run = await evaluatePolicies({
      resources,
      stack,
      source: `state export ${shownPath(args.state)}`,
      artifact: `Pulumi.${stack}.yaml`,
      configFile: args.configFile,
      encryptedProperties,
      notes,
      analyzer,
    });
    writeReports(run, args.reports);
    io.out(renderReport(run, args.format));
    // An empty export, or a config with every rule off, proves nothing: it must not pass a pipeline unasked.
    return runFails(run, args.allowNothingChecked) ? 1 : 0;
  } catch (error) {
    await analyzer.then((a) => a.close()).catch(() => undefined);
    if (error instanceof StackExportError || error instanceof PolicyConfigError || error instanceof ReportWriteError) {
      reportError(`policy check failed: ${error.message}`, json, io);
      return 1;
    }
    // Anything else is a defect here: one line, no stack trace, no file content.
    reportError(`policy check failed: ${describeThrown(error)}`, json, io);
    return 1;
  }
}

if (require.main === module) runAsCommand("policy", main);
