import { NotificationHubsClient } from "@azure/notification-hubs";
import { createHubClient } from "../../function/src/hubClient";
import {
  OutcomeClient,
  OutcomeNotReadyError,
  OutcomeRequest,
  outcomeCounts,
  PNS_OUTCOME_TRIES,
  PnsOutcomeReader,
  readOutcomeRequest,
} from "../../function/src/pnsOutcomes";
import { PushSender } from "../../function/src/pushSender";
import { userTag } from "../../function/src/tags";
import { publishedEvent, publishedNotificationDetails } from "../support/azureFixtures";
import { LedgerLog } from "../support/ledgerLog";
import { FakeNotificationHubs } from "../support/fakeNotificationHubs";
import { LOCALHOST_CA } from "../support/tlsFake";

/**
 * What Apple and Google did with an accepted push, on a Standard hub: the sender queues each
 * accepted notification, and the outcome reader asks the hub later with the real
 * @azure/notification-hubs client — against a local hub answering in Azure's published
 * NotificationDetails shape — and writes what it learns to the ledger.
 */

const RECIPIENT = "8:acs:outcome-user";
const options = { tlsOptions: { ca: LOCALHOST_CA }, retryOptions: { maxRetries: 0 } };

describe("PNS outcomes: queued by the sender, read from the hub later, written to the ledger", () => {
  const hub = new FakeNotificationHubs();
  let reader: PnsOutcomeReader;
  let standard: PushSender;

  beforeAll(async () => {
    await hub.start();
    const client = createHubClient(hub.connectionString(), "acs-hub", options);
    reader = new PnsOutcomeReader(() => client as unknown as OutcomeClient);
    standard = new PushSender(client, {
      platforms: ["apple", "fcmv1"],
      includePreview: false,
      sendChatMessages: true,
      hubSku: "Standard",
    });
  });
  afterAll(() => hub.stop());
  afterEach(() => {
    hub.nextOutcome = { Success: 1 };
    hub.nextOutcomePending = 0;
    hub.telemetryStatus = undefined;
  });

  function chatEvent(id: string) {
    const event = publishedEvent("chatMessageReceived");
    return { ...event, id, data: { ...event.data, recipientCommunicationIdentifier: { rawId: RECIPIENT } } };
  }

  /** Pushes one event on a Standard hub; returns what the sender queued. */
  async function push(id: string): Promise<{ queued: OutcomeRequest[]; log: LedgerLog }> {
    const queued: OutcomeRequest[] = [];
    const log = new LedgerLog();
    await standard.handle(chatEvent(id), log, (request) => queued.push(request));
    return { queued, log };
  }

  it("queues one request per accepted notification on a Standard hub, and writes no outcome yet", async () => {
    const { queued, log } = await push("std-1");
    expect(queued).toEqual([
      expect.objectContaining({
        eventId: "std-1",
        platform: "apple",
        recipientTag: userTag(RECIPIENT),
        notificationId: expect.stringMatching(/^\d+$/),
      }),
      expect.objectContaining({
        eventId: "std-1",
        platform: "fcmv1",
        recipientTag: userTag(RECIPIENT),
        notificationId: expect.stringMatching(/^\d+$/),
      }),
    ]);
    expect(log.records.filter((r) => r.step === "pns-outcome")).toEqual([]);
    // What the queue carries is ids and hashes only.
    expect(JSON.stringify(queued)).not.toContain(RECIPIENT);
  });

  it("writes the platform's counts once the hub has finished: Apple's WrongToken is in the ledger", async () => {
    hub.nextOutcome = { WrongToken: 1 };
    const { queued } = await push("std-2");
    const apple = queued.find((q) => q.platform === "apple")!;
    const log = new LedgerLog();
    // The queue hands the function the JSON the output binding wrote.
    expect(await reader.handle(JSON.stringify(apple), 1, log)).toBe("recorded");
    expect(log.records).toEqual([
      expect.objectContaining({
        step: "pns-outcome",
        eventId: "std-2",
        platform: "apple",
        notificationId: apple.notificationId,
        recipientTag: userTag(RECIPIENT),
        pnsState: "Completed",
        pnsOutcomes: { WrongToken: 1 },
      }),
    ]);
  });

  it("reads FCM v1's counts from FcmV1OutcomeCounts", async () => {
    const { queued } = await push("std-3");
    const log = new LedgerLog();
    await reader.handle(
      queued.find((q) => q.platform === "fcmv1"),
      1,
      log,
    );
    expect(log.records[0]).toMatchObject({ platform: "fcmv1", pnsState: "Completed", pnsOutcomes: { Success: 1 } });
  });

  it("asks the host to try again while the hub is still at Enqueued, and says so after the last try", async () => {
    hub.nextOutcomePending = PNS_OUTCOME_TRIES + 1;
    const { queued } = await push("std-4");
    const request = queued[0];
    const log = new LedgerLog();
    for (let attempt = 1; attempt < PNS_OUTCOME_TRIES; attempt++)
      await expect(reader.handle(request, attempt, log)).rejects.toThrow(OutcomeNotReadyError);
    expect(log.records).toEqual([]);
    await reader.handle(request, PNS_OUTCOME_TRIES, log);
    expect(log.records).toEqual([
      expect.objectContaining({
        step: "pns-outcome",
        pnsState: "unavailable",
        reason: expect.stringMatching(/still at Enqueued after 5 tries/),
      }),
    ]);
  });

  it("records an outcome that arrives on a later try", async () => {
    hub.nextOutcomePending = 1;
    const { queued } = await push("std-5");
    const log = new LedgerLog();
    await expect(reader.handle(queued[0], 1, log)).rejects.toThrow(OutcomeNotReadyError);
    await reader.handle(queued[0], 2, log);
    expect(log.records).toEqual([expect.objectContaining({ pnsState: "Completed", pnsOutcomes: { Success: 1 } })]);
  });

  it("records a refusal at once instead of retrying it (a tier without telemetry, or a key without the right)", async () => {
    const { queued } = await push("std-6");
    hub.telemetryStatus = 403;
    const log = new LedgerLog();
    await reader.handle(queued[0], 1, log);
    expect(log.records).toEqual([
      expect.objectContaining({
        pnsState: "unavailable",
        reason: expect.stringMatching(/refused to report the outcome \(HTTP 403\)/),
      }),
    ]);
  });

  it("ignores a message it did not write, without echoing it and without a retry", async () => {
    const log = new LedgerLog();
    for (const message of [
      "not json {",
      { eventId: "e" },
      { ...(await push("std-7")).queued[0], recipientTag: "8:acs:raw-id" },
    ]) {
      expect(await reader.handle(message, 1, log)).toBe("unreadable message");
    }
    expect(log.records).toEqual([]);
    expect(log.lines.join("\n")).not.toContain("8:acs:raw-id");
    expect(readOutcomeRequest({ eventId: "e", notificationId: "1", recipientTag: userTag("x"), platform: "wns" })).toBe(
      "platform must be apple or fcmv1",
    );
  });

  it("reads Azure's published NotificationDetails the way the SDK parses them", async () => {
    // The published sample's own counts (Success 3, WrongToken 1) through the SDK's own parser, then ours.
    hub.nextOutcome = undefined;
    const { queued } = await push("std-8");
    const details = await new NotificationHubsClient(hub.connectionString(), "acs-hub", options).getNotificationOutcomeDetails(
      queued[0].notificationId,
    );
    expect(outcomeCounts(details, "apple")).toEqual({ Success: 3, WrongToken: 1 });
    expect(publishedNotificationDetails("apns", "x")).toContain("<ApnsOutcomeCounts>");
    expect(details.state).toBe("Completed");
  });

  it("on Free and Basic hubs writes that the tier reports no outcome, and queues nothing", async () => {
    for (const hubSku of ["Free", "Basic"] as const) {
      const sender = new PushSender(createHubClient(hub.connectionString(), "acs-hub", options), {
        platforms: ["apple"],
        includePreview: false,
        sendChatMessages: true,
        hubSku,
      });
      const queued: OutcomeRequest[] = [];
      const log = new LedgerLog();
      await sender.handle(chatEvent(`tier-${hubSku}`), log, (r) => queued.push(r));
      expect(queued).toEqual([]);
      expect(log.records.filter((r) => r.step === "pns-outcome")).toEqual([
        expect.objectContaining({
          pnsState: "unavailable",
          reason: `per-message PNS outcomes need the Standard tier; this hub is ${hubSku}`,
        }),
      ]);
    }
  });
});
