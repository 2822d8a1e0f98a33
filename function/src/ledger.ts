import { createHash } from "node:crypto";

/**
 * The delivery ledger: one structured record per step of each event the push sender handles, so
 * that "why didn't this user get the push?" has an answer per user and per message, on any hub
 * tier. Each record is one log line — the marker, then the record as JSON — which the Functions
 * host writes to Application Insights' `traces` table; queries read it with
 * `parse_json(substring(message, strlen(LEDGER_MARKER)))` (components/pushAlerts.ts,
 * docs/troubleshooting.md). A log line, not OpenTelemetry: the Functions host already ships every
 * line to Application Insights, while `@azure/monitor-opentelemetry` bundled adds ~770 KB
 * compressed (3.2 MB minified) to a zip of ~84 KB, past its 500 KB budget (BENCHMARKS.md).
 *
 * A record names the recipient by tag (already a hash of the ACS raw id) and the thread by a hash:
 * no raw id, no message text, no device token.
 */
export const LEDGER_MARKER = "acs-push-ledger ";

/** The shape's version: a query that reads records can tell an older shape from this one. */
export const LEDGER_VERSION = 1;

export type LedgerStep =
  /** A supported event for a user, about to be pushed. */
  | "event-received"
  /** One platform's notification handed to the hub. */
  | "push-attempted"
  /** The hub's answer to that notification: accepted (201, with its notification id) or refused (its status). */
  | "hub-answered"
  /** The event failed in a way Event Grid delivers again. */
  | "retried"
  /** The event will never be pushed; recorded in the dead-letter container too. */
  | "dead-lettered"
  /**
   * What Apple or Google did with an accepted notification, as the hub reports it later
   * (pnsOutcomes.ts) — or why it cannot: per-message outcomes exist on the Standard tier only.
   */
  | "pns-outcome"
  /** The registration endpoint saved a device's installation for the user (no event: `eventId` is absent). */
  | "installation-saved"
  /** The registration endpoint deleted one of the user's installations. */
  | "installation-deleted";

/** The steps that belong to an ACS event, and so carry its id. */
export const EVENT_STEPS: readonly LedgerStep[] = [
  "event-received",
  "push-attempted",
  "hub-answered",
  "retried",
  "dead-lettered",
  "pns-outcome",
];
/** The registration endpoint's steps: they carry a user's tag and no event. */
export const REGISTRATION_STEPS: readonly LedgerStep[] = ["installation-saved", "installation-deleted"];

export interface LedgerRecord {
  readonly v: typeof LEDGER_VERSION;
  readonly step: LedgerStep;
  /** When the sender wrote the record (ISO 8601). */
  readonly at: string;
  /** The ACS event's id; every step but the registration ones has it. */
  readonly eventId?: string;
  readonly eventType?: string;
  /** The recipient's tag, `user_` + SHA-256 of the ACS raw id: what the doctor's trace looks for. */
  readonly recipientTag?: string;
  /** `thread_` + the first 32 hex of the SHA-256 of the chat thread id. */
  readonly threadHash?: string;
  readonly platform?: string;
  /** With several apps or partitions: the app and its partition (hub) this record is about. */
  readonly app?: string;
  readonly partition?: number;
  /** The hub's HTTP status for this notification; absent when no answer came (a network failure). */
  readonly status?: number;
  /** The hub's id of an accepted notification (from its Location header). */
  readonly notificationId?: string;
  /** The hub's tracking id, for a support request to Microsoft. */
  readonly trackingId?: string;
  /** Milliseconds from the event's own time (`eventTime`, or CloudEvents' `time`) to the hub's acceptance. */
  readonly latencyMs?: number;
  /** Why an event is retried or dead-lettered, or why no PNS outcome is known: statuses and kinds, never content. */
  readonly reason?: string;
  /**
   * The hub's state for the notification (`Completed`, `Abandoned`, `NoTargetFound`, …), or
   * `unavailable` when the hub cannot report one (its tier, its refusal, or no answer in time).
   */
  readonly pnsState?: string;
  /** The platform's outcome counts the hub reported, by outcome name (`Success`, `WrongToken`, …). */
  readonly pnsOutcomes?: Readonly<Record<string, number>>;
}

export type LedgerEntry = Omit<LedgerRecord, "v" | "at">;

/** The thread id as the ledger keeps it: enough to group one thread's events, not to read it back. */
export function threadHash(threadId: string): string {
  return `thread_${createHash("sha256").update(threadId).digest("hex").slice(0, 32)}`;
}

/** One ledger record as the log line the sender writes. */
export function ledgerLine(entry: LedgerEntry, now: Date = new Date()): string {
  const record: LedgerRecord = { v: LEDGER_VERSION, at: now.toISOString(), ...entry };
  return LEDGER_MARKER + JSON.stringify(record);
}

/** The record in a log line, or undefined when the line is not a ledger record of this version. */
export function parseLedgerLine(message: string): LedgerRecord | undefined {
  if (!message.startsWith(LEDGER_MARKER)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(message.slice(LEDGER_MARKER.length));
  } catch {
    return undefined;
  }
  const record = value as Partial<LedgerRecord> | null;
  if (
    typeof record !== "object" ||
    record === null ||
    record.v !== LEDGER_VERSION ||
    typeof record.step !== "string" ||
    typeof record.at !== "string" ||
    !(
      (EVENT_STEPS.includes(record.step as LedgerStep) && typeof record.eventId === "string") ||
      (REGISTRATION_STEPS.includes(record.step as LedgerStep) && typeof record.recipientTag === "string")
    )
  )
    return undefined;
  return record as LedgerRecord;
}

/** Milliseconds from an event's own time to now; undefined when the event gave no readable time. */
export function latencySince(eventTime: string | undefined, now: Date = new Date()): number | undefined {
  if (!eventTime) return undefined;
  const at = Date.parse(eventTime);
  return Number.isNaN(at) ? undefined : Math.max(0, now.getTime() - at);
}
