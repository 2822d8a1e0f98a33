import type { CheckResult } from "./catalogue";
import type { TestSendSummary } from "./testSend";
import type { UserTrace } from "./traceVerdict";
import type { FreshnessReport } from "./freshness";

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

/** One user's trace: the verdict first, then their registrations and each event with the hub's answers. */
export function renderTrace(user: string, trace: UserTrace): string {
  const r = trace.registrations;
  const lines = [
    `Trace of ${user.slice(0, 40)}${user.length > 40 ? "…" : ""} (tag ${trace.recipientTag.slice(0, 17)}…): ${trace.verdict}`,
    `  ${trace.explanation}`,
    `  registrations in the window: ${r.saved} saved${r.platforms.length ? ` (${r.platforms.join(", ")})` : ""}, ${r.deleted} deleted`,
  ];
  if (trace.events.length === 0) lines.push("  events: none");
  for (const e of trace.events) {
    const answers = e.answers
      .map(
        (a) =>
          `${a.app !== undefined ? `${a.app}#${a.partition ?? 0} ` : ""}${a.platform} ${a.status ?? "no answer"}${a.notificationId ? ` #${a.notificationId}` : ""}`,
      )
      .join(", ");
    lines.push(
      `  ${e.at}  event ${e.eventId}  ${e.outcome}${answers ? `  [${answers}]` : ""}${e.latencyMs !== undefined ? `  ${Math.round(e.latencyMs)} ms` : ""}${e.reason ? `  (${e.reason})` : ""}`,
    );
    for (const p of e.pns) {
      const counts = Object.entries(p.outcomes ?? {})
        .map(([name, n]) => `${name} ${n}`)
        .join(", ");
      lines.push(`      ${p.platform} outcome: ${p.state}${counts ? ` (${counts})` : ""}${p.reason ? ` — ${p.reason}` : ""}`);
    }
  }
  return lines.join("\n");
}

/** Per platform: users whose installations were not renewed within the window. */
export function renderFreshness(report: FreshnessReport): string {
  const window = report.windowHours % 24 === 0 ? `${report.windowHours / 24} day(s)` : `${report.windowHours} hour(s)`;
  const lines = [`Installations not renewed in the last ${window} (users saved through the endpoint in the last 90 days):`];
  if (report.platforms.length === 0)
    lines.push("  none saved in the last 90 days: no device has registered through the endpoint");
  for (const p of report.platforms) {
    const share = p.installations > 0 ? Math.round((100 * p.stale) / p.installations) : 0;
    lines.push(`  ${p.app ? `${p.app} ` : ""}${p.platform.padEnd(6)} ${p.stale} of ${p.installations} users (${share} %)`);
  }
  return lines.join("\n");
}
