/**
 * "Why didn't this user get the push?" answered from the delivery ledger's records for the user's
 * tag (function/src/ledger.ts): their devices' registrations, the events the sender received for
 * them, each push and the hub's answer — and a verdict in the troubleshooting guide's words, for
 * the latest event. Pure: the records come from Application Insights (trace.ts) or a test.
 */
import type { LedgerRecord } from "../../function/src/ledger";

export type TraceVerdict =
  | "events never reached the sender"
  | "no installation for this user"
  | "the hub refused the credential"
  | "the hub refused the notification"
  | "the event was dead-lettered"
  | "retried; the hub has not accepted it yet"
  | "the hub accepted, Apple reported the token as unregistered"
  | "the hub accepted, Google reported the token as unregistered"
  | "the hub accepted, Apple refused the hub's credential"
  | "the hub accepted, Google refused the hub's credential"
  | "the hub accepted, the platform reported a failure"
  | "delivered to the hub"
  | "delivered";

/** What the hub reported Apple or Google did with one accepted notification (Standard hubs), or why it could not. */
export interface PnsReport {
  readonly platform: string;
  readonly state: string;
  readonly outcomes?: Readonly<Record<string, number>>;
  readonly reason?: string;
}

export interface TracedEvent {
  readonly eventId: string;
  readonly eventType?: string;
  readonly at: string;
  /** Per platform: the hub's status (undefined: no answer), the notification id, and the reason when refused. */
  readonly answers: readonly {
    platform: string;
    status?: number;
    notificationId?: string;
    reason?: string;
    app?: string;
    partition?: number;
  }[];
  readonly outcome: "accepted" | "refused" | "retried" | "dead-lettered" | "no answer";
  readonly latencyMs?: number;
  readonly reason?: string;
  /** Per platform, what the PNS did (pns-outcome records); empty until the hub reports. */
  readonly pns: readonly PnsReport[];
}

export interface UserTrace {
  readonly recipientTag: string;
  readonly registrations: {
    readonly saved: number;
    readonly deleted: number;
    readonly platforms: readonly string[];
    readonly last?: string;
  };
  readonly events: readonly TracedEvent[];
  readonly verdict: TraceVerdict;
  /** What the verdict means and what to do, in a sentence or two. */
  readonly explanation: string;
}

const CREDENTIAL_REFUSED = new Set([401, 403]);

function outcomeOf(steps: readonly LedgerRecord[]): TracedEvent["outcome"] {
  if (steps.some((r) => r.step === "dead-lettered")) return "dead-lettered";
  if (steps.some((r) => r.step === "retried")) return "retried";
  const answers = steps.filter((r) => r.step === "hub-answered");
  if (answers.length === 0) return "no answer";
  return answers.every((r) => r.status === 201) ? "accepted" : "refused";
}

/** The events among the records, in the order the sender received them. */
function eventsOf(records: readonly LedgerRecord[]): TracedEvent[] {
  const byEvent = new Map<string, LedgerRecord[]>();
  for (const r of records) {
    if (!r.eventId) continue;
    byEvent.set(r.eventId, [...(byEvent.get(r.eventId) ?? []), r]);
  }
  return [...byEvent.entries()]
    .map(([eventId, steps]) => {
      const answers = steps
        .filter((r) => r.step === "hub-answered")
        .map((r) => ({
          platform: r.platform ?? "?",
          status: r.status,
          notificationId: r.notificationId,
          reason: r.reason,
          ...(r.app !== undefined ? { app: r.app, partition: r.partition } : {}),
        }));
      const latencies = steps.flatMap((r) => (r.step === "hub-answered" && r.latencyMs !== undefined ? [r.latencyMs] : []));
      const ended = steps.find((r) => r.step === "dead-lettered" || r.step === "retried");
      const pns = steps
        .filter((r) => r.step === "pns-outcome")
        .map((r) => ({
          platform: r.platform ?? "?",
          state: r.pnsState ?? "unavailable",
          outcomes: r.pnsOutcomes,
          reason: r.reason,
        }));
      return {
        eventId,
        eventType: steps.find((r) => r.eventType)?.eventType,
        at: steps[0].at,
        answers,
        outcome: outcomeOf(steps),
        latencyMs: latencies.length > 0 ? Math.max(...latencies) : undefined,
        reason: ended?.reason,
        pns,
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at));
}

function registrationsOf(records: readonly LedgerRecord[]): UserTrace["registrations"] {
  const saves = records.filter((r) => r.step === "installation-saved");
  const deletes = records.filter((r) => r.step === "installation-deleted");
  const last = [...saves, ...deletes].sort((a, b) => a.at.localeCompare(b.at)).at(-1);
  return {
    saved: saves.length,
    deleted: deletes.length,
    platforms: [...new Set(saves.flatMap((r) => (r.platform ? [r.platform] : [])))].sort(),
    last: last?.step,
  };
}

/** The trace of one user's tag over a window of records (of that tag only). */
export function traceUser(recipientTag: string, records: readonly LedgerRecord[], windowText: string): UserTrace {
  const sorted = [...records].sort((a, b) => a.at.localeCompare(b.at));
  const registrations = registrationsOf(sorted);
  const events = eventsOf(sorted);
  const latest = events.at(-1);
  const result = (verdict: TraceVerdict, explanation: string): UserTrace => ({
    recipientTag,
    registrations,
    events,
    verdict,
    explanation,
  });
  if (!latest) {
    return result(
      "events never reached the sender",
      `The push sender received no event for this user in the last ${windowText}: look upstream — the Event Grid ` +
        "subscription and its event types, its dead letters (doctor: event-grid checks), and whether ACS raised the event at all.",
    );
  }
  if (registrations.saved === 0 || registrations.last === "installation-deleted") {
    return result(
      "no installation for this user",
      `No device saved an installation for this user in the last ${windowText}` +
        (registrations.last === "installation-deleted" ? ", and the last registration step deleted one" : "") +
        ". The hub accepts a push to a tag no device holds and delivers it to no one: the app must register (and renew at every launch).",
    );
  }
  const refusedCredential = latest.answers.find((a) => a.status !== undefined && CREDENTIAL_REFUSED.has(a.status));
  if (refusedCredential) {
    return result(
      "the hub refused the credential",
      `The hub answered HTTP ${refusedCredential.status} to the push sender: its Send key is not the rule's current one ` +
        "(a rotated key the app has not picked up, or a broken Key Vault reference). Event Grid retries; check the doctor's link-current and push-sender checks.",
    );
  }
  if (latest.outcome === "dead-lettered") {
    return result("the event was dead-lettered", `The sender gave the event up: ${latest.reason ?? "no reason recorded"}.`);
  }
  if (latest.outcome === "refused") {
    const refused = latest.answers.find((a) => a.status !== 201);
    return result(
      "the hub refused the notification",
      `The hub answered ${refused?.status ? `HTTP ${refused.status}` : "with no status"} for ${refused?.platform ?? "a platform"}: ${refused?.reason ?? "no reason recorded"}.`,
    );
  }
  if (latest.outcome === "retried" || latest.outcome === "no answer") {
    return result(
      "retried; the hub has not accepted it yet",
      `The latest event is being retried by Event Grid (${latest.reason ?? "no answer from the hub"}); trace again in a few minutes.`,
    );
  }
  const pnsVerdict = verdictFromPns(latest.pns);
  if (pnsVerdict) return result(pnsVerdict.verdict, pnsVerdict.explanation);
  const unavailable = latest.pns.find((p) => p.state === "unavailable")?.reason;
  return result(
    "delivered to the hub",
    "The hub accepted the push for every platform" +
      (latest.latencyMs !== undefined ? ` ${Math.round(latest.latencyMs)} ms after the event` : "") +
      `. What Apple or Google did with it is not known${unavailable ? ` (${unavailable})` : " yet (the hub reports it a minute or more later on the Standard tier)"}; ` +
      "if the device shows nothing, `doctor test-send --user` shows each registration's outcome.",
  );
}

const PNS_NAMES: Readonly<Record<string, string>> = { apple: "Apple", fcmv1: "Google" };

/**
 * The PNS failures the trace names, by how the hub names their outcomes — "this device token is no
 * longer good" (the published per-message sample's WrongToken; the hub's metrics say expired or bad
 * channel) and "the hub's credential was refused" — with the verdict per platform and what to do.
 */
const PNS_FAILURES: readonly {
  readonly outcome: RegExp;
  readonly verdicts: Readonly<Record<"apple" | "fcmv1", TraceVerdict>>;
  readonly explain: (pns: string, counts: string) => string;
}[] = [
  {
    outcome: /token|channel|unregistered|expired/i,
    verdicts: {
      apple: "the hub accepted, Apple reported the token as unregistered",
      fcmv1: "the hub accepted, Google reported the token as unregistered",
    },
    explain: (pns, counts) =>
      `${pns} answered ${counts}: the device's token is stale (the app was removed, or the token changed and the app did not register it again). ` +
      "The app must register its current token at every launch; the hub drops the stale installation.",
  },
  {
    outcome: /credential|certificate|unauthori[sz]ed/i,
    verdicts: {
      apple: "the hub accepted, Apple refused the hub's credential",
      fcmv1: "the hub accepted, Google refused the hub's credential",
    },
    explain: (pns, counts) =>
      `${pns} answered ${counts}: the hub's ${pns === "Google" ? "FCM v1 service account" : "APNs token (key, team, bundle id, environment)"} is not accepted; run the doctor's credential checks.`,
  },
];

/** The verdict the PNS outcomes give, or undefined when none is known yet. */
function verdictFromPns(reports: readonly PnsReport[]): { verdict: TraceVerdict; explanation: string } | undefined {
  const known = reports.filter((p) => p.state !== "unavailable" && p.outcomes);
  if (known.length === 0) return undefined;
  const succeeded = (p: PnsReport) => (p.outcomes?.Success ?? 0) > 0;
  const counts = (p: PnsReport) =>
    Object.entries(p.outcomes ?? {})
      .map(([name, n]) => `${name} ${n}`)
      .join(", ");
  for (const failure of PNS_FAILURES) {
    const hit = known.find(
      (p) =>
        !succeeded(p) &&
        (p.platform === "apple" || p.platform === "fcmv1") &&
        Object.entries(p.outcomes ?? {}).some(([name, n]) => n > 0 && failure.outcome.test(name)),
    );
    if (hit)
      return {
        verdict: failure.verdicts[hit.platform as "apple" | "fcmv1"],
        explanation: failure.explain(PNS_NAMES[hit.platform], counts(hit)),
      };
  }
  const failure = known.find((p) => !succeeded(p));
  if (failure)
    return {
      verdict: "the hub accepted, the platform reported a failure",
      explanation: `${PNS_NAMES[failure.platform] ?? failure.platform} answered ${counts(failure) || failure.state}.`,
    };
  return {
    verdict: "delivered",
    explanation: `The hub accepted the push and ${known.map((p) => `${PNS_NAMES[p.platform] ?? p.platform} reported ${counts(p)}`).join("; ")}.`,
  };
}
