import * as fs from "node:fs";
import * as path from "node:path";
import { userPath } from "../shared/cli";
import { PolicyRun, REPORT_FORMATS, ReportFormat, renderReport } from "./policyReport";

// The reports a policy run writes, apart from the run itself: the plan parses `--report` before it
// knows whether the pack will run, and loads the pack's tooling only when it does.

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
