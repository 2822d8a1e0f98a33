import {
  CHAT_MESSAGE_RECEIVED,
  eventTypeOf,
  IncomingEvent,
  isSkip,
  isSupported,
  MalformedEventError,
  PushIntent,
  toPushIntent,
} from "./events";
import { applePayload, fcmV1Payload, PayloadOptions } from "./payloads";
import { RecentEvents } from "./recentEvents";
import { classifySendError, CredentialRefusedError, PermanentSendError, TransientSendError } from "./sendErrors";
import { userTag } from "./tags";
import { latencySince, ledgerLine, threadHash } from "./ledger";
import { OutcomeRequest, outcomeUnavailableReason } from "./pnsOutcomes";
import { partitionsToReach } from "./partitions";

export type Platform = "apple" | "fcmv1";

/** The notification the hub client sends; shaped like @azure/notification-hubs' notifications. */
export interface HubNotification {
  readonly platform: Platform;
  readonly body: string;
  readonly headers?: Record<string, unknown>;
  readonly contentType: "application/json;charset=utf-8";
}

/** The part of NotificationHubsClient the sender uses. */
export interface HubClient {
  sendNotification(
    notification: HubNotification,
    options: { tagExpression: string },
  ): Promise<{ notificationId?: string; trackingId?: string }>;
}

export interface SenderLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Where permanent failures are recorded for a human (the dead-letter container). */
export interface DeadLetterSink {
  write(eventId: string, record: Record<string, unknown>): Promise<void>;
}

export interface SenderOptions extends PayloadOptions {
  readonly platforms: readonly Platform[];
  /** False when apps push chat natively through the linked hub: sending too would duplicate every message. */
  readonly sendChatMessages: boolean;
  /** The hub's tier. Standard: each accepted notification's PNS outcome is read later; otherwise the ledger says it cannot be. Default: Free. */
  readonly hubSku?: "Free" | "Basic" | "Standard";
}

/** Where the sender puts accepted notifications whose PNS outcome is to be read later (the outcome queue). */
export type OutcomeRequests = (request: OutcomeRequest) => void;

/**
 * One app's hubs, as the sender reaches them: a client per partition (index = partition), the
 * platforms and payload settings of that app. A stack with one app and one hub has one route with
 * no name, and its ledger records name no app.
 */
export interface SenderRoute extends PayloadOptions {
  readonly app?: string;
  readonly partitions: readonly HubClient[];
  /** While the app grows: the partition count before (a moved user's old partition is reached too). */
  readonly growingFrom?: number;
  readonly platforms: readonly Platform[];
  readonly hubSku?: "Free" | "Basic" | "Standard";
}

/** One notification's destination: an app's partition, on one platform. */
interface Target {
  readonly route: SenderRoute;
  readonly partition: number;
  readonly platform: Platform;
}

export type Outcome = "sent" | "duplicate" | "ignored" | "dead-lettered";

/** One event on its way to the hubs: what every step of it logs and writes to the ledger. */
interface Delivery {
  readonly intent: PushIntent;
  readonly recipientTag: string;
  readonly eventTime?: string;
}

/**
 * Turns ACS events into APNs and FCM v1 pushes addressed to the recipient's tag. Logs ids and
 * outcomes only: never message text, tokens or connection strings. Each step of an event that is
 * pushed is also a delivery-ledger record (ledger.ts).
 */
export class PushSender {
  private readonly recent = new RecentEvents();
  private readonly inFlight = new Set<string>();
  /** Targets (event, app, partition, platform) a hub already accepted: a retried event skips them here. */
  private readonly accepted = new RecentEvents(50_000);
  private readonly routes: readonly SenderRoute[];

  /** One hub: the one-app stack. */
  constructor(client: HubClient, options: SenderOptions, deadLetter?: DeadLetterSink);
  /** Several apps and partitions: one route per app. */
  constructor(routes: readonly SenderRoute[], options: Pick<SenderOptions, "sendChatMessages">, deadLetter?: DeadLetterSink);
  constructor(
    clientOrRoutes: HubClient | readonly SenderRoute[],
    private readonly options: Pick<SenderOptions, "sendChatMessages"> & Partial<SenderOptions>,
    private readonly deadLetter?: DeadLetterSink,
  ) {
    this.routes = Array.isArray(clientOrRoutes)
      ? clientOrRoutes
      : [
          {
            partitions: [clientOrRoutes as HubClient],
            platforms: options.platforms ?? [],
            includePreview: options.includePreview ?? false,
            hubSku: options.hubSku,
          },
        ];
  }

  /** Every app's partitions that can hold this recipient, on each of the app's platforms. */
  private targetsFor(recipientTag: string): Target[] {
    return this.routes.flatMap((route) =>
      partitionsToReach(recipientTag, route.partitions.length, route.growingFrom).flatMap((partition) =>
        route.platforms.map((platform) => ({ route, partition, platform })),
      ),
    );
  }

  /**
   * Handles one event. Throws TransientSendError when Event Grid should deliver it again. The
   * subscription delivers one event per batch: the Functions Event Grid extension fails a whole
   * batch when one event fails, and Event Grid would then re-send (and re-push) the others.
   */
  async handle(event: IncomingEvent, log: SenderLog, outcomes?: OutcomeRequests): Promise<Outcome> {
    if (this.recent.has(event.id) || this.inFlight.has(event.id)) {
      log.info(`event ${event.id}: already pushed by this instance, skipped`);
      return "duplicate";
    }
    const typed = eventTypeOf(event);
    if (!typed) {
      return this.giveUp(
        event,
        "unknown",
        `event ${event.id} has neither eventType (Event Grid schema) nor type (CloudEvents schema)`,
        log,
      );
    }
    const { eventType, schema } = typed;
    if (schema === "CloudEvents")
      log.warn(
        `event ${event.id}: delivered in the CloudEvents 1.0 schema (type ${eventType}); read as its Event Grid equivalent`,
      );
    if (!isSupported(eventType)) {
      log.info(`event ${event.id}: type ${eventType} is not pushed by this function, ignored`);
      return "ignored";
    }
    if (eventType === CHAT_MESSAGE_RECEIVED && !this.options.sendChatMessages) {
      log.info(`event ${event.id}: chat messages are pushed natively by the ACS SDK, ignored`);
      return "ignored";
    }
    let intent: PushIntent;
    try {
      const read = toPushIntent(event, eventType);
      if (isSkip(read)) {
        log.info(`event ${event.id}: not pushed: ${read.skip}`);
        return "ignored";
      }
      intent = read;
    } catch (error) {
      if (error instanceof MalformedEventError) return this.giveUp(event, eventType, error.message, log);
      throw error;
    }
    const delivery: Delivery = {
      intent,
      recipientTag: userTag(intent.recipientRawId),
      eventTime: event.eventTime ?? event.time,
    };
    const targets = this.targetsFor(delivery.recipientTag).filter((t) => !this.accepted.has(targetKey(event.id, t)));
    log.info(
      `event ${event.id}: pushing ${eventType} to ${targets.map((t) => `${t.route.app ? `${t.route.app}#${t.partition} ` : ""}${t.platform}`).join(", ")}`,
    );
    log.info(
      ledgerLine({
        step: "event-received",
        eventId: event.id,
        eventType,
        recipientTag: delivery.recipientTag,
        threadHash: threadHash(intent.threadId),
      }),
    );
    this.inFlight.add(event.id);
    // Every app and partition at once: one app's hub failing does not hold the others back.
    const results = await Promise.allSettled(targets.map((t) => this.send(t, delivery, log, outcomes))).finally(() =>
      this.inFlight.delete(event.id),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as Error);
    if (failures.some((f) => f instanceof CredentialRefusedError)) {
      // After a key rotation the app can hold the old key until its Key Vault reference is refreshed:
      // retrying (Event Grid backs off for up to an hour) delivers once the new key is in place.
      log.error(
        `event ${event.id}: the hub refused the function's credential (${failures.map((f) => f.message).join("; ")}); ` +
          "check NOTIFICATION_HUB_CONNECTION_STRING's Key Vault reference and the Send rule's key; failing so Event Grid retries",
      );
    } else if (failures.some((f) => f instanceof TransientSendError)) {
      // Retry the whole event: a platform that already succeeded may notify twice, which beats not at all.
      log.warn(`event ${event.id}: ${failures.map((f) => f.message).join("; ")}; failing so Event Grid retries`);
    }
    if (failures.some((f) => f instanceof TransientSendError)) {
      const reason = failures.map((f) => f.message).join("; ");
      log.info(ledgerLine({ step: "retried", eventId: event.id, eventType, recipientTag: delivery.recipientTag, reason }));
      throw new TransientSendError(`event ${event.id}: ${reason}`);
    }
    this.recent.add(event.id);
    if (failures.length > 0)
      return this.giveUp(event, eventType, failures.map((f) => f.message).join("; "), log, delivery.recipientTag);
    return "sent";
  }

  private async send(
    target: Target,
    { intent, recipientTag, eventTime }: Delivery,
    log: SenderLog,
    outcomes: OutcomeRequests | undefined,
  ): Promise<void> {
    const { route, partition, platform } = target;
    const notification = platform === "apple" ? apple(intent, route) : fcm(intent, route);
    const about = {
      eventId: intent.eventId,
      eventType: intent.eventType,
      recipientTag,
      platform,
      ...(route.app !== undefined ? { app: route.app, partition } : {}),
    };
    log.info(ledgerLine({ step: "push-attempted", ...about }));
    try {
      const result = await route.partitions[partition].sendNotification(notification, { tagExpression: recipientTag });
      this.accepted.add(targetKey(intent.eventId, target));
      log.info(
        `event ${intent.eventId}: ${route.app ? `${route.app} partition ${partition} ` : ""}${platform} notification ${result.notificationId ?? "(no id)"} accepted`,
      );
      // The client resolves only on the hub's 201 Created.
      log.info(
        ledgerLine({
          step: "hub-answered",
          ...about,
          status: 201,
          notificationId: result.notificationId,
          trackingId: result.trackingId,
          latencyMs: latencySince(eventTime),
        }),
      );
      this.followOutcome(about, route.hubSku, result.notificationId, log, outcomes);
    } catch (error) {
      const failure = classifySendError(error, platform);
      const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
      log.info(
        ledgerLine({
          step: "hub-answered",
          ...about,
          status: typeof status === "number" ? status : undefined,
          reason: failure.message,
        }),
      );
      throw failure;
    }
  }

  /** Standard hubs report what the PNS did, later: queue the notification for that. Other tiers cannot: say so. */
  private followOutcome(
    about: { eventId: string; eventType: string; recipientTag: string; platform: Platform; app?: string; partition?: number },
    tier: SenderRoute["hubSku"],
    notificationId: string | undefined,
    log: SenderLog,
    outcomes: OutcomeRequests | undefined,
  ): void {
    const hubSku = tier ?? "Free";
    if (hubSku === "Standard" && notificationId && outcomes) {
      outcomes({ ...about, notificationId });
      return;
    }
    log.info(
      ledgerLine({
        step: "pns-outcome",
        ...about,
        notificationId,
        pnsState: "unavailable",
        reason:
          hubSku !== "Standard"
            ? outcomeUnavailableReason(hubSku)
            : !notificationId
              ? "the hub gave no notification id, so its outcome cannot be asked for"
              : "this sender has no outcome queue",
      }),
    );
  }

  /** Permanent failure: logged once, recorded in the dead-letter container, not retried. */
  private async giveUp(
    event: IncomingEvent,
    eventType: string,
    reason: string,
    log: SenderLog,
    recipientTag?: string,
  ): Promise<Outcome> {
    this.recent.add(event.id);
    log.error(`event ${event.id}: not deliverable, not retried: ${reason}`);
    log.info(ledgerLine({ step: "dead-lettered", eventId: event.id, eventType, recipientTag, reason }));
    if (this.deadLetter) {
      try {
        await this.deadLetter.write(event.id, {
          eventId: event.id,
          eventType,
          reason,
          at: new Date().toISOString(),
        });
      } catch (error) {
        log.error(`event ${event.id}: could not record the failure in the dead-letter container: ${(error as Error).message}`);
      }
    }
    return "dead-lettered";
  }
}

export { CredentialRefusedError, PermanentSendError, TransientSendError };

/** What the in-process memory of accepted notifications is keyed by. */
function targetKey(eventId: string, { route, partition, platform }: Target): string {
  return `${eventId}|${route.app ?? ""}|${partition}|${platform}`;
}

function apple(intent: PushIntent, options: PayloadOptions): HubNotification {
  const { body, headers } = applePayload(intent, options);
  return { platform: "apple", body: JSON.stringify(body), headers, contentType: "application/json;charset=utf-8" };
}

function fcm(intent: PushIntent, options: PayloadOptions): HubNotification {
  return {
    platform: "fcmv1",
    body: JSON.stringify(fcmV1Payload(intent, options)),
    contentType: "application/json;charset=utf-8",
  };
}
