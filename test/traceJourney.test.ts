import * as fs from "node:fs";
import * as path from "node:path";
import type { TokenCredential } from "@azure/identity";
import { NotificationHubsClient } from "@azure/notification-hubs";
import { InstallationClient, InstallationRegistrar } from "../function/src/registration";
import { createHubClient } from "../function/src/hubClient";
import { PushSender } from "../function/src/pushSender";
import { OutcomeClient, OutcomeRequest, PnsOutcomeReader } from "../function/src/pnsOutcomes";
import { userTag } from "../function/src/tags";
import { ledgerQuery, recordsFromAnswer, traceFromApplicationInsights } from "../tools/doctor/trace";
import { TraceVerdict } from "../tools/doctor/traceVerdict";
import { renderFreshness, renderTrace } from "../tools/doctor/report";
import { freshnessFromAnswer, freshnessQuery, registrationFreshness } from "../tools/doctor/freshness";
import { FakeNotificationHubs } from "./support/fakeNotificationHubs";
import { FakeLogs } from "./support/fakeLogs";
import { publishedAppleInstallation, publishedEvent } from "./support/azureFixtures";
import { LOCALHOST_CA } from "./support/tlsFake";

/**
 * "Why didn't this user get the push?", end to end and offline: devices register through the real
 * endpoint code, Azure's published chat event goes through the real push sender and the real hub
 * client to the local hub, every line they log lands in a local Azure Monitor query endpoint, and
 * `doctor trace` reads that user's ledger back with a bearer token and names the story.
 */
const BACK_END = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";
const principal = Buffer.from(JSON.stringify({ auth_typ: "aad", claims: [{ typ: "azp", val: BACK_END }] })).toString("base64");
const INSIGHTS_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acsnotif-prod-rg/providers/Microsoft.Insights/components/acsnotif-prod-insights";
const credential: TokenCredential = {
  getToken: async () => ({ token: "operator-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe("doctor trace: one user's pushes, from the ledger the real code writes", () => {
  const hub = new FakeNotificationHubs();
  const logs = new FakeLogs();
  const clientOptions = { tlsOptions: { ca: LOCALHOST_CA }, retryOptions: { maxRetries: 0 } };
  let registrar: InstallationRegistrar;
  let sender: PushSender;
  /** A Standard hub's sender, and the function that reads what Apple or Google did later. */
  let standardSender: PushSender;
  let outcomeReader: PnsOutcomeReader;

  beforeAll(async () => {
    await Promise.all([hub.start(), logs.start()]);
    registrar = new InstallationRegistrar(
      new NotificationHubsClient(hub.connectionString(), "acs-hub", clientOptions) as unknown as InstallationClient,
      [BACK_END],
    );
    sender = new PushSender(createHubClient(hub.connectionString(), "acs-hub", clientOptions), {
      platforms: ["apple"],
      includePreview: false,
      sendChatMessages: true,
    });
    const standardClient = createHubClient(hub.connectionString(), "acs-hub", clientOptions);
    standardSender = new PushSender(standardClient, {
      platforms: ["apple"],
      includePreview: false,
      sendChatMessages: true,
      hubSku: "Standard",
    });
    outcomeReader = new PnsOutcomeReader(() => standardClient as unknown as OutcomeClient);
  });
  afterAll(() => Promise.all([hub.stop(), logs.stop()]));

  /** Azure's published chat event, for this recipient. */
  function eventFor(user: string, id: string) {
    const event = publishedEvent("chatMessageReceived");
    return { ...event, id, data: { ...event.data, recipientCommunicationIdentifier: { rawId: user } } };
  }
  const register = (user: string, device: string) =>
    registrar.handle(
      "PUT",
      device,
      principal,
      { userId: user, platform: "apns", pushChannel: publishedAppleInstallation().DUMMY_DEVICE },
      logs.log(),
    );
  const unregister = (user: string, device: string) =>
    registrar.handle("DELETE", device, principal, { userId: user }, logs.log());
  const push = (user: string, id: string) => sender.handle(eventFor(user, id), logs.log()).catch(() => "retried");
  /** On a Standard hub: the push, then — as the queue-triggered function does later — the hub's outcome for it. */
  const pushAndReadOutcome = async (user: string, id: string, outcome: Record<string, number>) => {
    const queued: OutcomeRequest[] = [];
    hub.nextOutcome = outcome;
    await standardSender
      .handle(eventFor(user, id), logs.log(), (r) => queued.push(r))
      .finally(() => (hub.nextOutcome = { Success: 1 }));
    for (const request of queued) await outcomeReader.handle(JSON.stringify(request), 1, logs.log());
  };
  const trace = (user: string) =>
    traceFromApplicationInsights(INSIGHTS_ID, userTag(user), 24, {
      credential,
      endpoint: logs.endpoint,
      pipelineOptions: { tlsOptions: { ca: LOCALHOST_CA }, retryOptions: { maxRetries: 0 } },
    });

  const stories: [string, (user: string) => Promise<unknown>, TraceVerdict, RegExp][] = [
    ["registered, but no event ever came", (u) => register(u, "phone"), "events never reached the sender", /Event Grid/],
    ["an event, and no device registered", (u) => push(u, `e-${u}`), "no installation for this user", /must register/],
    [
      "a device registered and removed, then an event",
      async (u) => {
        await register(u, "phone");
        await unregister(u, "phone");
        await push(u, `e-${u}`);
      },
      "no installation for this user",
      /deleted one/,
    ],
    [
      "the hub refused the function's credential",
      async (u) => {
        await register(u, "phone");
        hub.failNext(401);
        await push(u, `e-${u}`);
      },
      "the hub refused the credential",
      /HTTP 401[\s\S]*Send key/,
    ],
    [
      "the platform refused the payload",
      async (u) => {
        await register(u, "phone");
        hub.failNext(400);
        await push(u, `e-${u}`);
      },
      "the event was dead-lettered",
      /HTTP 400/,
    ],
    [
      "accepted by a Free hub, which reports no outcome",
      async (u) => {
        await register(u, "phone");
        await push(u, `e-${u}`);
      },
      "delivered to the hub",
      /accepted the push[\s\S]*Standard tier; this hub is Free/,
    ],
    [
      "accepted, and Apple said the device token is no longer valid (a Standard hub)",
      async (u) => {
        await register(u, "phone");
        await pushAndReadOutcome(u, `e-${u}`, { WrongToken: 1 });
      },
      "the hub accepted, Apple reported the token as unregistered",
      /Apple answered WrongToken 1[\s\S]*register its current token/,
    ],
    [
      "delivered: Apple reported success (a Standard hub)",
      async (u) => {
        await register(u, "phone");
        await pushAndReadOutcome(u, `e-${u}`, { Success: 1 });
      },
      "delivered",
      /Apple reported Success 1/,
    ],
  ];

  it.each(stories)("%s: the trace says so", async (_story, happen, verdict, explanation) => {
    const user = `8:acs:trace-${stories.findIndex((s) => s[0] === _story)}-${Date.now()}`;
    await happen(user);
    const result = await trace(user);
    expect(result.verdict).toBe(verdict);
    expect(result.explanation).toMatch(explanation);
    expect(result.recipientTag).toBe(userTag(user));
  });

  it("lists the user's events and the hub's answers in order, and reads only that user's records", async () => {
    const user = `8:acs:trace-list-${Date.now()}`;
    const other = `8:acs:trace-other-${Date.now()}`;
    await register(user, "phone");
    await register(other, "phone");
    await push(user, "first");
    hub.failNext(503);
    await push(user, "second");
    await push(other, "someone-else");
    const result = await trace(user);
    expect(result.registrations).toEqual({ saved: 1, deleted: 0, platforms: ["apns"], last: "installation-saved" });
    expect(result.events.map((e) => [e.eventId, e.outcome])).toEqual([
      ["first", "accepted"],
      ["second", "retried"],
    ]);
    expect(result.events[0].answers).toEqual([
      expect.objectContaining({ platform: "apple", status: 201, notificationId: expect.stringMatching(/^\d+$/) }),
    ]);
    expect(result.verdict).toBe("retried; the hub has not accepted it yet");
    // What the operator reads: the verdict first, the registrations, then each event and the hub's answers.
    const text = renderTrace(user, result);
    expect(text.split("\n")[0]).toMatch(/: retried; the hub has not accepted it yet$/);
    expect(text).toMatch(/registrations in the window: 1 saved \(apns\), 0 deleted/);
    expect(text).toMatch(/event first {2}accepted {2}\[apple 201 #\d+\]/);
    expect(text).toMatch(/event second {2}retried {2}\[apple 503\]/);
    expect(text).not.toContain("someone-else");
    // The query went to the component's resource-centric path, with the operator's token.
    const request = logs.requests.at(-1)!;
    expect(request.path).toBe(`/v1${INSIGHTS_ID}/query`);
    expect(request.authorization).toBe("Bearer operator-token");
    expect(request.body).toEqual({ query: ledgerQuery(userTag(user)), timespan: "PT24H" });
  });

  it("freshness counts, per platform, the users whose devices did not renew within the window", async () => {
    logs.lines.length = 0;
    const day = 24 * 3_600_000;
    const registerAt = (user: string, platform: "apns" | "fcmv1", daysAgo: number) =>
      registrar.handle(
        "PUT",
        `${platform}-device`,
        principal,
        {
          userId: user,
          platform,
          pushChannel: platform === "apns" ? publishedAppleInstallation().DUMMY_DEVICE : `cR2Xq8sT0uV:APA91b${"Q".repeat(140)}`,
        },
        logs.log(new Date(Date.now() - daysAgo * day)),
      );
    await registerAt("8:acs:fresh-ios", "apns", 1);
    await registerAt("8:acs:stale-ios", "apns", 40);
    await registerAt("8:acs:renewed-ios", "apns", 40);
    await registerAt("8:acs:renewed-ios", "apns", 2);
    await registerAt("8:acs:stale-android", "fcmv1", 10);
    const report = await registrationFreshness(INSIGHTS_ID, 7 * 24, {
      credential,
      endpoint: logs.endpoint,
      pipelineOptions: { tlsOptions: { ca: LOCALHOST_CA }, retryOptions: { maxRetries: 0 } },
    });
    expect(report.platforms).toEqual([
      { platform: "apns", installations: 3, stale: 1 },
      { platform: "fcmv1", installations: 1, stale: 1 },
    ]);
    expect(logs.requests.at(-1)!.body.timespan).toBe("PT2160H");
    expect(renderFreshness(report)).toMatch(/apns {3}1 of 3 users \(33 %\)\n {2}fcmv1 {2}1 of 1 users \(100 %\)/);

    // With several apps, each app's users are counted apart.
    const apps = new InstallationRegistrar(
      [
        {
          name: "staff",
          platforms: ["apns"],
          partitions: [
            new NotificationHubsClient(hub.connectionString(), "acs-hub", clientOptions) as unknown as InstallationClient,
          ],
        },
      ],
      [BACK_END],
    );
    await apps.handle(
      "PUT",
      "work-phone",
      principal,
      { userId: "8:acs:staff-user", app: "staff", platform: "apns", pushChannel: publishedAppleInstallation().DUMMY_DEVICE },
      logs.log(new Date(Date.now() - 9 * day)),
    );
    const perApp = await registrationFreshness(INSIGHTS_ID, 7 * 24, {
      credential,
      endpoint: logs.endpoint,
      pipelineOptions: { tlsOptions: { ca: LOCALHOST_CA }, retryOptions: { maxRetries: 0 } },
    });
    expect(perApp.platforms).toContainEqual({ app: "staff", platform: "apns", installations: 1, stale: 1 });
    expect(renderFreshness(perApp)).toMatch(/ {2}staff apns {3}1 of 1 users \(100 %\)/);
  });

  it("freshness refuses a window it cannot put into its query, and an answer it cannot count", () => {
    expect(() => freshnessQuery(0)).toThrow(/the window must be 1 to 2160 whole hours/);
    expect(() => freshnessQuery(1.5)).toThrow(/whole hours/);
    expect(() =>
      freshnessFromAnswer(
        {
          tables: [
            { columns: [{ name: "platform" }, { name: "installations" }, { name: "stale" }], rows: [["apns", "many", "0"]] },
          ],
        },
        "h.example",
      ),
    ).toThrow(/h\.example/);
  });

  it("refuses to put anything but a tag into its query", () => {
    expect(() => ledgerQuery('user_x" or 1 == 1 //')).toThrow(/is not a recipient tag/);
  });

  it("names the host and what the identity needs when the query is refused", async () => {
    logs.failWith = 403;
    try {
      await expect(trace("8:acs:refused")).rejects.toThrow(
        /127\.0\.0\.1:\d+ refused the query \(HTTP 403\).*Log Analytics Reader/,
      );
    } finally {
      logs.failWith = undefined;
    }
  });

  it("says an answer without the message column cannot be read, naming the host (Azure's published answer is one)", () => {
    const published = JSON.parse(
      fs.readFileSync(path.join(__dirname, "fixtures", "azure", "logs", "la-post-resource-centric-example.json"), "utf8"),
    ) as { responses: { "200": { body: Parameters<typeof recordsFromAnswer>[0] } } };
    expect(() => recordsFromAnswer(published.responses["200"].body, "api.loganalytics.io")).toThrow(/api\.loganalytics\.io/);
  });
});
