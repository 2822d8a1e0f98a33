import { NotificationHubsClient } from "@azure/notification-hubs";
import { SILENT_PIPELINE_QUERY } from "../../components/pushAlerts";
import { DASHBOARD_PANELS } from "../../components/pushDashboard";
import { createHubClient } from "../../function/src/hubClient";
import { EVENT_STEPS, LedgerRecord, parseLedgerLine, REGISTRATION_STEPS } from "../../function/src/ledger";
import { OutcomeClient, OutcomeRequest, PnsOutcomeReader } from "../../function/src/pnsOutcomes";
import { PushSender, SenderLog } from "../../function/src/pushSender";
import { InstallationClient, InstallationRegistrar } from "../../function/src/registration";
import { freshnessQuery } from "../../tools/doctor/freshness";
import { ledgerQuery } from "../../tools/doctor/trace";
import { rebalanceQuery } from "../../tools/doctor/rebalance";
import { userTag } from "../../function/src/tags";
import { publishedAppleInstallation, publishedEvent } from "../support/azureFixtures";
import { FakeNotificationHubs } from "../support/fakeNotificationHubs";
import { LOCALHOST_CA } from "../support/tlsFake";

/**
 * The KQL of the alerts, the workbook and the doctor reads ledger records by field name and step
 * name. The Kusto language service checks the tables' columns; it cannot see inside `record`. This
 * test produces records with the real code — sender (Free and Standard hubs), outcome reader and
 * registrar, against the local hub — and holds every field and step the queries name to what that
 * code writes, so a renamed field breaks the build rather than the dashboard.
 */
const BACK_END = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";
const principal = Buffer.from(JSON.stringify({ auth_typ: "aad", claims: [{ typ: "azp", val: BACK_END }] })).toString("base64");

/** Fields read as `record.<field>` and steps compared as `step == "<step>"` in a query. */
function ledgerReferences(query: string): { fields: string[]; steps: string[] } {
  const fields = [...query.matchAll(/\brecord\.([A-Za-z]+)/g)].map((m) => m[1]);
  const steps = [...query.matchAll(/step\)? == "([a-z-]+)"/g)].map((m) => m[1]);
  return { fields: [...new Set(fields)], steps: [...new Set(steps)] };
}

const QUERIES: [string, string][] = [
  ["silent-pipeline alert", SILENT_PIPELINE_QUERY],
  ["doctor trace", ledgerQuery(userTag("8:acs:x"))],
  ["doctor freshness", freshnessQuery(168)],
  ["doctor rebalance", rebalanceQuery("customer")],
  ...DASHBOARD_PANELS.map((p): [string, string] => [`workbook: ${p.title}`, p.query]),
];

describe("the ledger fields the queries read are the ones the real code writes", () => {
  const hub = new FakeNotificationHubs();
  const records: LedgerRecord[] = [];
  const log: SenderLog = {
    info: (m) => void records.push(...(parseLedgerLine(m) ? [parseLedgerLine(m)!] : [])),
    warn: () => undefined,
    error: () => undefined,
  };

  beforeAll(async () => {
    await hub.start();
    const options = { tlsOptions: { ca: LOCALHOST_CA }, retryOptions: { maxRetries: 0 } };
    const client = createHubClient(hub.connectionString(), "acs-hub", options);
    const registrar = new InstallationRegistrar(
      new NotificationHubsClient(hub.connectionString(), "acs-hub", options) as unknown as InstallationClient,
      [BACK_END],
    );
    const user = "8:acs:fields-user";
    const token = publishedAppleInstallation().DUMMY_DEVICE;
    await registrar.handle("PUT", "phone", principal, { userId: user, platform: "apns", pushChannel: token }, log);
    await registrar.handle("DELETE", "phone", principal, { userId: user }, log);
    // With several apps, records name the app and partition.
    const apps = new InstallationRegistrar(
      [
        {
          name: "customer",
          platforms: ["apns"],
          partitions: [new NotificationHubsClient(hub.connectionString(), "acs-hub", options) as unknown as InstallationClient],
        },
      ],
      [BACK_END],
    );
    await apps.handle("PUT", "tablet", principal, { userId: user, app: "customer", platform: "apns", pushChannel: token }, log);
    const event = (id: string) => {
      const e = publishedEvent("chatMessageReceived");
      return { ...e, id, data: { ...e.data, recipientCommunicationIdentifier: { rawId: user } } };
    };
    const free = new PushSender(client, { platforms: ["apple", "fcmv1"], includePreview: false, sendChatMessages: true });
    const standard = new PushSender(client, {
      platforms: ["apple"],
      includePreview: false,
      sendChatMessages: true,
      hubSku: "Standard",
    });
    await free.handle(event("accepted"), log);
    hub.failNext(503);
    await free.handle(event("retried"), log).catch(() => undefined);
    hub.failNext(400);
    await free.handle(event("refused"), log);
    const queued: OutcomeRequest[] = [];
    hub.nextOutcome = { Success: 2, WrongToken: 1 };
    await standard.handle(event("standard"), log, (r) => queued.push(r));
    const reader = new PnsOutcomeReader(() => client as unknown as OutcomeClient);
    for (const request of queued) await reader.handle(request, 1, log);
  });
  afterAll(() => hub.stop());

  it("the real code wrote every kind of record", () => {
    // Every step the ledger defines: a new step without a record here would go unchecked.
    expect(new Set(records.map((r) => r.step))).toEqual(new Set([...EVENT_STEPS, ...REGISTRATION_STEPS]));
  });

  it.each(QUERIES)("%s reads only fields and steps the code writes", (_where, query) => {
    const written = new Set(records.flatMap((r) => Object.keys(r)));
    const steps = new Set(records.map((r) => r.step));
    const { fields, steps: named } = ledgerReferences(query);
    expect(fields.filter((f) => !written.has(f))).toEqual([]);
    expect(named.filter((s) => !steps.has(s as LedgerRecord["step"]))).toEqual([]);
  });

  it("catches a renamed field or step", () => {
    const written = new Set(records.flatMap((r) => Object.keys(r)));
    const renamed = ledgerReferences(DASHBOARD_PANELS[0].query.replace("record.pnsState", "record.pnsStatus"));
    expect(renamed.fields.filter((f) => !written.has(f))).toEqual(["pnsStatus"]);
    expect(ledgerReferences('| where step == "hub-answerd"').steps).toEqual(["hub-answerd"]);
  });

  it("the outcome counts the workbook reads (record.pnsOutcomes.Success) are there", () => {
    const outcome = records.find((r) => r.step === "pns-outcome" && r.pnsState === "Completed");
    expect(outcome?.pnsOutcomes).toEqual({ Success: 2, WrongToken: 1 });
  });
});
