import { NotificationHubsClient } from "@azure/notification-hubs";
import { createHubClient } from "../../function/src/hubClient";
import { LedgerRecord, parseLedgerLine } from "../../function/src/ledger";
import { partitionOf } from "../../function/src/partitions";
import { PushSender } from "../../function/src/pushSender";
import { InstallationClient, InstallationRegistrar } from "../../function/src/registration";
import { userTag } from "../../function/src/tags";
import { rebalanceQuery, rebalanceReport, renderRebalance, UserPlacement } from "../../tools/doctor/rebalance";
import { publishedAppleInstallation, publishedEvent } from "../support/azureFixtures";
import { FakeNotificationHubs } from "../support/fakeNotificationHubs";
import { LOCALHOST_CA } from "../support/tlsFake";

/**
 * Growing an app from 2 to 3 partitions with devices registered: every user gets every push before,
 * during and after the move, and `doctor rebalance` counts down to zero as apps renew.
 */
const BACK_END = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";
const principal = Buffer.from(JSON.stringify({ auth_typ: "aad", claims: [{ typ: "azp", val: BACK_END }] })).toString("base64");
const options = { tlsOptions: { ca: LOCALHOST_CA }, retryOptions: { maxRetries: 0 } };
const APNS = publishedAppleInstallation().DUMMY_DEVICE;
const USERS = Array.from({ length: 60 }, (_, i) => `8:acs:fleet-user-${i}`);

describe("growing an app from 2 to 3 partitions", () => {
  const hubs = [new FakeNotificationHubs(), new FakeNotificationHubs(), new FakeNotificationHubs()];
  const ledger: LedgerRecord[] = [];
  const log = {
    info: (m: string) => void ledger.push(...[parseLedgerLine(m)].filter((r): r is LedgerRecord => r !== undefined)),
    warn: () => undefined,
    error: () => undefined,
  };
  const installationClients = () =>
    hubs.map((h) => new NotificationHubsClient(h.connectionString(), "acs-hub", options) as unknown as InstallationClient);
  const sendClients = () => hubs.map((h) => createHubClient(h.connectionString(), "acs-hub", options));

  /** The registrar and sender of the app with this many partitions (and growingFrom, while moving). */
  function app(partitions: number, growingFrom?: number) {
    const registrar = new InstallationRegistrar(
      [{ name: "customer", platforms: ["apns"], partitions: installationClients().slice(0, partitions), growingFrom }],
      [BACK_END],
    );
    const sender = new PushSender(
      [
        {
          app: "customer",
          partitions: sendClients().slice(0, partitions),
          growingFrom,
          platforms: ["apple"],
          includePreview: false,
        },
      ],
      { sendChatMessages: true },
    );
    return { registrar, sender };
  }
  const register = (registrar: InstallationRegistrar, i: number) =>
    registrar.handle(
      "PUT",
      `phone-${i}`,
      principal,
      { userId: USERS[i], app: "customer", platform: "apns", pushChannel: APNS },
      log,
    );

  /** Pushes one event to every user; returns the users none of whose sends reached a hub holding their device. */
  async function pushEveryone(sender: PushSender, round: string): Promise<{ missed: string[]; sends: number }> {
    const before = hubs.map((h) => h.sends.length);
    const missed: string[] = [];
    for (const [i, user] of USERS.entries()) {
      const tag = userTag(user);
      const seen = hubs.map((h) => h.sends.length);
      const event = publishedEvent("chatMessageReceived");
      await sender.handle(
        { ...event, id: `${round}-${i}`, data: { ...event.data, recipientCommunicationIdentifier: { rawId: user } } },
        log,
      );
      const reached = hubs.some(
        (h, p) => h.sends.length > seen[p] && [...h.installations.values()].some((inst) => inst.tags.includes(tag)),
      );
      if (!reached) missed.push(user);
    }
    return { missed, sends: hubs.reduce((n, h, p) => n + h.sends.length - before[p], 0) };
  }

  /** What `doctor rebalance` reads: each user's last registration step and partition, from the ledger. */
  function placements(): UserPlacement[] {
    const last = new Map<string, UserPlacement>();
    for (const r of ledger)
      if ((r.step === "installation-saved" || r.step === "installation-deleted") && r.app === "customer" && r.recipientTag)
        last.set(r.recipientTag, { recipientTag: r.recipientTag, step: r.step, partition: r.partition ?? 0 });
    return [...last.values()];
  }

  beforeAll(() => Promise.all(hubs.map((h) => h.start())));
  afterAll(() => Promise.all(hubs.map((h) => h.stop())));

  it("loses no push while devices move, and counts the users still to move down to zero", async () => {
    // A fleet on 2 partitions.
    const two = app(2);
    for (const i of USERS.keys()) expect((await register(two.registrar, i)).status).toBe(200);
    expect(hubs[2].installations.size).toBe(0);
    expect((await pushEveryone(two.sender, "before")).missed).toEqual([]);

    // The stack grows to 3 partitions, growingFrom 2: nothing has moved yet, and nobody misses a push.
    const growing = app(3, 2);
    const movers = USERS.filter((u) => partitionOf(userTag(u), 3) !== partitionOf(userTag(u), 2));
    expect(movers.length).toBeGreaterThan(USERS.length / 6);
    expect(movers.length).toBeLessThan(USERS.length / 2);
    expect(rebalanceReport("customer", 3, 2, placements())).toMatchObject({ remaining: movers.length, moved: 0 });
    const during = await pushEveryone(growing.sender, "during");
    expect(during.missed).toEqual([]);
    // A moved user costs one more send while growing (old and new partition); everyone else one.
    expect(during.sends).toBe(USERS.length + movers.length);

    // Half the apps renew: their installations move to the new partition and leave the old one.
    for (const i of USERS.keys()) if (i % 2 === 0) await register(growing.registrar, i);
    const half = rebalanceReport("customer", 3, 2, placements());
    expect(half.remaining + half.moved).toBe(movers.length);
    expect(half.moved).toBeGreaterThan(0);
    expect((await pushEveryone(growing.sender, "half")).missed).toEqual([]);
    for (const user of movers.filter((u) => USERS.indexOf(u) % 2 === 0)) {
      const tag = userTag(user);
      expect(hubs.map((h) => [...h.installations.values()].filter((i) => i.tags.includes(tag)).length)).toEqual([0, 0, 1]);
    }

    // The rest renew: nobody is left in an old partition.
    for (const i of USERS.keys()) if (i % 2 === 1) await register(growing.registrar, i);
    const done = rebalanceReport("customer", 3, 2, placements());
    expect(done).toMatchObject({ remaining: 0, moved: movers.length });
    // Users per partition, as the doctor reports them, are what the hubs hold.
    expect([0, 1, 2].map((p) => done.usersByPartition[p] ?? 0)).toEqual(hubs.map((h) => h.installations.size));
    expect(renderRebalance(done)).toMatch(
      /0 user\(s\) still to move[\s\S]*remove growingFrom[\s\S]*by partition .*: p0 \d+, p1 \d+, p2 \d+/,
    );

    // growingFrom is removed: one send per user, and every push still lands.
    const grown = app(3);
    const after = await pushEveryone(grown.sender, "after");
    expect(after).toEqual({ missed: [], sends: USERS.length });
    expect(hubs[2].installations.size).toBe(movers.length);
  });

  it("reads the ledger with a query that refuses a name that is not an app's (the query itself: test/azure/kustoQueries.test.ts)", () => {
    expect(() => rebalanceQuery('x" or 1==1')).toThrow(/is not an app name/);
  });
});
