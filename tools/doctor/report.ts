import type { CheckResult } from "./catalogue";
import type { TestSendSummary } from "./testSend";

const MARK: Record<CheckResult["status"], string> = { pass: "PASS", warn: "WARN", fail: "FAIL", skip: "SKIP" };

export function renderChecks(results: readonly CheckResult[]): string {
  // The title for a person, the id as the troubleshooting guide and --json name the check.
  const label = (r: CheckResult) => `${r.title} [${r.id}]`;
  const width = Math.max(...results.map((r) => label(r).length));
  const lines = results.map(
    (r) => `${MARK[r.status]}  ${label(r).padEnd(width)}  ${r.evidence}${r.fix ? `\n      fix: ${r.fix}` : ""}`,
  );
  const count = (s: CheckResult["status"]) => results.filter((r) => r.status === s).length;
  lines.push("", `${count("fail")} failed, ${count("warn")} warnings, ${count("pass")} passed, ${count("skip")} skipped`);
  return lines.join("\n");
}

export function renderTestSend(summary: TestSendSummary): string {
  const lines = [
    `Test send to tag ${summary.tag} (${summary.platforms.join(", ")}): ${summary.success} succeeded, ${summary.failure} failed`,
  ];
  if (summary.results.length === 0)
    lines.push("  no registration carries this tag: the app has not registered for this user (or registered another tag)");
  for (const r of summary.results)
    lines.push(`  ${r.platform.padEnd(8)} registration ${r.registrationId}  device ${r.handle}  → ${r.outcome}`);
  return lines.join("\n");
}
