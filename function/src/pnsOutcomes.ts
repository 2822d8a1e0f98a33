import { APP_NAME } from "./contract";
import { ledgerLine } from "./ledger";
import type { Platform, SenderLog } from "./pushSender";

/**
 * What Apple and Google did with a notification the hub accepted. The hub reports it per message
 * (`GET /<hub>/messages/<id>`, `getNotificationOutcomeDetails`) on the Standard tier only, and
 * only after it has pushed to every device — seconds to minutes after the send. The sender does
 * not wait: for each accepted notification it puts an `OutcomeRequest` on a storage queue, and
 * the queue-triggered function here reads the outcome and writes it to the delivery ledger as a
 * `pns-outcome` record. While the hub is still working the function fails the message, and the
 * Functions host shows it again after the queue's visibility timeout (host.json); after the last
 * try the ledger says the outcome never became available, instead of guessing.
 */

/** The queue the sender puts outcome requests on (created by the program, read by `readPnsOutcome`). */
export const PNS_OUTCOME_QUEUE = "pns-outcomes";
/** The function that reads them. */
export const PNS_OUTCOME_FUNCTION_NAME = "readPnsOutcome";
/** Tries per notification, as host.json's `extensions.queues.maxDequeueCount` lets the host make them. */
export const PNS_OUTCOME_TRIES = 5;

/** One accepted notification whose outcome the ledger wants. Ids and hashes only. */
export interface OutcomeRequest {
  readonly eventId: string;
  readonly eventType?: string;
  readonly recipientTag: string;
  readonly platform: Platform;
  readonly notificationId: string;
  /** With several apps or partitions: which hub accepted it (and is asked). */
  readonly app?: string;
  readonly partition?: number;
}

/** The part of the hub's answer the ledger keeps (shaped like @azure/notification-hubs' NotificationDetails). */
export interface HubOutcomeDetails {
  readonly state?: string;
  readonly apnsOutcomeCounts?: readonly { state: string; count: number }[];
  readonly fcmV1OutcomeCounts?: readonly { state: string; count: number }[];
}

/** The part of NotificationHubsClient the reader uses. */
export interface OutcomeClient {
  getNotificationOutcomeDetails(notificationId: string): Promise<HubOutcomeDetails>;
}

/** The hub is still pushing (or has not indexed the message yet): the host should try again later. */
export class OutcomeNotReadyError extends Error {}

/** States after which the counts no longer change. */
const FINAL_STATES = new Set(["Completed", "Abandoned", "NoTargetFound", "Cancelled", "Unknown", "DetailedStateAvailable"]);

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TAG = /^user_[0-9a-f]{64}$/;

/** The request in a queue message, or a reason it is not one (the message is never echoed). */
export function readOutcomeRequest(message: unknown): OutcomeRequest | string {
  const m = (typeof message === "string" ? safeJson(message) : message) as Partial<OutcomeRequest> | undefined;
  if (typeof m !== "object" || m === null) return "the message is not a JSON object";
  if (typeof m.eventId !== "string" || !ID.test(m.eventId)) return "eventId is missing or not an id";
  if (typeof m.notificationId !== "string" || !ID.test(m.notificationId)) return "notificationId is missing or not an id";
  if (typeof m.recipientTag !== "string" || !TAG.test(m.recipientTag)) return "recipientTag is not a user tag";
  if (m.platform !== "apple" && m.platform !== "fcmv1") return "platform must be apple or fcmv1";
  if (m.eventType !== undefined && (typeof m.eventType !== "string" || m.eventType.length > 200))
    return "eventType is not a string";
  if (m.app !== undefined && (typeof m.app !== "string" || !APP_NAME.test(m.app))) return "app is not an app name";
  if (m.partition !== undefined && (!Number.isInteger(m.partition) || m.partition < 0 || m.partition > 63))
    return "partition is not a partition number";
  return {
    eventId: m.eventId,
    eventType: m.eventType,
    recipientTag: m.recipientTag,
    platform: m.platform,
    notificationId: m.notificationId,
    ...(m.app !== undefined ? { app: m.app, partition: m.partition ?? 0 } : {}),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The platform's counts, by outcome name; the hub names FCM v1's `FcmV1OutcomeCounts`. */
export function outcomeCounts(details: HubOutcomeDetails, platform: Platform): Record<string, number> {
  const counts = platform === "apple" ? details.apnsOutcomeCounts : details.fcmV1OutcomeCounts;
  const result: Record<string, number> = {};
  for (const { state, count } of counts ?? []) result[state] = (result[state] ?? 0) + count;
  return result;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/**
 * Reads one notification's outcome and writes it to the ledger. Returns what it wrote; throws
 * OutcomeNotReadyError when the host should show the message again later.
 */
export class PnsOutcomeReader {
  /**
   * @param hubOf the client of the hub that accepted the push: of an app's partition (`app` is undefined
   *   for a push from a one-hub stack), undefined when the stack has no such hub.
   */
  constructor(
    private readonly hubOf: (app: string | undefined, partition: number) => OutcomeClient | undefined,
    private readonly tries: number = PNS_OUTCOME_TRIES,
  ) {}

  async handle(message: unknown, dequeueCount: number, log: SenderLog): Promise<"recorded" | "unreadable message"> {
    const request = readOutcomeRequest(message);
    if (typeof request === "string") {
      // A message this code did not write: retrying cannot fix it.
      log.error(`PNS outcome request ignored: ${request}`);
      return "unreadable message";
    }
    const about = {
      eventId: request.eventId,
      eventType: request.eventType,
      recipientTag: request.recipientTag,
      platform: request.platform,
      notificationId: request.notificationId,
      ...(request.app !== undefined ? { app: request.app, partition: request.partition } : {}),
    };
    const client = this.hubOf(request.app, request.partition ?? 0);
    if (!client) {
      log.error(
        `PNS outcome request ignored: this stack has no hub for app ${request.app ?? "(none)"} partition ${request.partition ?? 0}`,
      );
      return "unreadable message";
    }
    const lastTry = dequeueCount >= this.tries;
    let details: HubOutcomeDetails;
    try {
      details = await client.getNotificationOutcomeDetails(request.notificationId);
    } catch (error) {
      const status = statusOf(error);
      if (status === 401 || status === 403) {
        // A refusal is not the hub still working: record it now rather than retrying five times.
        log.info(
          ledgerLine({
            step: "pns-outcome",
            ...about,
            pnsState: "unavailable",
            reason: `the hub refused to report the outcome (HTTP ${status}); per-message outcomes need the Standard tier and the Send rule's key`,
          }),
        );
        return "recorded";
      }
      if (!lastTry)
        throw new OutcomeNotReadyError(`notification ${request.notificationId}: ${status ?? "no answer"}; trying again later`);
      log.info(
        ledgerLine({
          step: "pns-outcome",
          ...about,
          pnsState: "unavailable",
          reason: `no outcome after ${dequeueCount} tries (last answer: ${status ? `HTTP ${status}` : "none"})`,
        }),
      );
      return "recorded";
    }
    const state = details.state ?? "Unknown";
    if (!FINAL_STATES.has(state) && !lastTry)
      throw new OutcomeNotReadyError(`notification ${request.notificationId}: the hub is still at ${state}; trying again later`);
    log.info(
      ledgerLine({
        step: "pns-outcome",
        ...about,
        pnsState: FINAL_STATES.has(state) ? state : "unavailable",
        pnsOutcomes: outcomeCounts(details, request.platform),
        reason: FINAL_STATES.has(state) ? undefined : `the hub was still at ${state} after ${dequeueCount} tries`,
      }),
    );
    return "recorded";
  }
}

/** What the ledger says for an accepted notification on a hub whose tier reports no outcomes. */
export function outcomeUnavailableReason(hubSku: string): string {
  return `per-message PNS outcomes need the Standard tier; this hub is ${hubSku}`;
}
