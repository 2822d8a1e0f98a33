/**
 * `doctor freshness`: per platform, how many users' installations have not been renewed within a
 * window — from the registration endpoint's ledger records (installation-saved) over Application
 * Insights' retention. Apps should renew at every launch (docs/registering-devices.md); an
 * installation nobody renews keeps a device token Apple or Google may already refuse. Listing the
 * hub's own installations would take its Manage key; the ledger needs only a logs reader.
 */
import { LEDGER_RECORDS_KQL } from "../../azure/ledgerKql";
import { networkFailure } from "../../azure/requestLimits";
import { answerTable, queryApplicationInsights, QueryResults, TraceOptions } from "./trace";

/** How far back installations are counted: Application Insights keeps 90 days by default. */
export const FRESHNESS_LOOKBACK_HOURS = 90 * 24;

export interface PlatformFreshness {
  /** With several apps: the app (absent for a one-app stack's records). */
  readonly app?: string;
  readonly platform: string;
  /** Users with an installation saved on this platform in the lookback. */
  readonly installations: number;
  /** Of those, how many were last saved before the window. */
  readonly stale: number;
}

export interface FreshnessReport {
  readonly windowHours: number;
  readonly lookbackHours: number;
  readonly platforms: readonly PlatformFreshness[];
}

/** The query: each user's last save per platform, counted against the window (whole hours, checked). */
export function freshnessQuery(windowHours: number): string {
  if (!Number.isInteger(windowHours) || windowHours < 1 || windowHours > FRESHNESS_LOOKBACK_HOURS)
    throw new Error(`the window must be 1 to ${FRESHNESS_LOOKBACK_HOURS} whole hours; got ${windowHours}`);
  return [
    LEDGER_RECORDS_KQL,
    '| where tostring(record.step) == "installation-saved"',
    // Per app too: a one-app stack's records name no app, and their app is empty.
    "| summarize lastSaved = max(timestamp) by recipientTag = tostring(record.recipientTag), app = tostring(record.app), platform = tostring(record.platform)",
    `| summarize installations = count(), stale = countif(lastSaved < ago(${windowHours}h)) by app, platform`,
    "| order by app asc, platform asc",
  ].join("\n");
}

/** The counts in an answer (`platform`, `installations`, `stale`; numbers may come as strings, as in Azure's example). */
export function freshnessFromAnswer(answer: QueryResults, host: string): PlatformFreshness[] {
  const { rows, column } = answerTable(answer, host, ["platform", "installations", "stale"], ["app"]);
  return rows.map((row) => {
    const counts = [Number(row[column.installations]), Number(row[column.stale])];
    if (counts.some((n) => !Number.isInteger(n) || n < 0)) throw networkFailure("unreadable", host, 0);
    const app =
      column.app >= 0 && typeof row[column.app] === "string" && row[column.app] !== "" ? (row[column.app] as string) : undefined;
    return { ...(app ? { app } : {}), platform: String(row[column.platform]), installations: counts[0], stale: counts[1] };
  });
}

export async function registrationFreshness(
  applicationInsightsId: string,
  windowHours: number,
  options: TraceOptions = {},
): Promise<FreshnessReport> {
  const { answer, host } = await queryApplicationInsights(
    applicationInsightsId,
    freshnessQuery(windowHours),
    FRESHNESS_LOOKBACK_HOURS,
    options,
  );
  return { windowHours, lookbackHours: FRESHNESS_LOOKBACK_HOURS, platforms: freshnessFromAnswer(answer, host) };
}
