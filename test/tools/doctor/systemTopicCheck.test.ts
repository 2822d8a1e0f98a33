import type { DoctorClients } from "../../../tools/doctor/azureClients";
import type { DoctorTarget } from "../../../tools/doctor/checks";
import type { CheckResult } from "../../../tools/doctor/catalogue";
import { checkSystemTopic, EVENT_GRID_API_VERSION } from "../../../tools/doctor/systemTopicCheck";
import { networkFailure } from "../../../azure/requestLimits";
import { armExample } from "../../support/azureFixtures";

/*
 * The one-topic-per-source check judged in process, page by page. checks.test.ts runs it
 * through the real SDK pipeline against FakeAzure; here each page answers what a test needs.
 */

const SUB = "11111111-1111-1111-1111-111111111111";
const RG = `/subscriptions/${SUB}/resourceGroups/rg`;
const ACS_ID = `${RG}/providers/Microsoft.Communication/communicationServices/acs-prod`;
const OUR_TOPIC = `${RG}/providers/Microsoft.EventGrid/systemTopics/acs-events`;
const OTHER_TOPIC = `/subscriptions/${SUB}/resourceGroups/platform/providers/Microsoft.EventGrid/systemTopics/shared-acs`;
const FIRST_PAGE = `/subscriptions/${SUB}/providers/Microsoft.EventGrid/systemTopics?api-version=${EVENT_GRID_API_VERSION}`;
const PUBLISHED_ITEM = (
  armExample("eventgrid/SystemTopics_ListBySubscription.json").responses["200"].body as {
    value: { properties: Record<string, unknown> }[];
  }
).value[0];

const title = "one Event Grid system topic on ACS";

/** A published list item with this id and source (Event Grid reports the source lower-cased); null: no source. */
const topic = (id: string | undefined, source: string | null = ACS_ID, name = id?.split("/").pop()) => ({
  ...PUBLISHED_ITEM,
  id,
  name,
  properties: { ...PUBLISHED_ITEM.properties, source: source?.toLowerCase() ?? undefined },
});

type Page = { status: number; body?: unknown } | Error;

async function check(pages: Page[], target: Partial<DoctorTarget> = {}) {
  const requests: string[] = [];
  const clients = {
    arm: {
      send: async ({ path }: { path: string }) => {
        requests.push(path);
        const page = pages[Math.min(requests.length, pages.length) - 1];
        if (page instanceof Error) throw page;
        return { status: page.status, bodyAsText: page.body === undefined ? undefined : JSON.stringify(page.body) };
      },
    },
  } as unknown as DoctorClients;
  const results: CheckResult[] = [];
  await checkSystemTopic(clients, { acsId: ACS_ID, hubId: "", sinceHours: 24, ...target }, SUB, (r) => results.push(r));
  expect(results).toHaveLength(1);
  return { result: results[0], requests };
}

const listed = (...topics: unknown[]): Page => ({ status: 200, body: { value: topics } });

describe("one Event Grid system topic on the ACS resource", () => {
  it("lists the subscription's system topics at the Event Grid API version it names", async () => {
    const { requests } = await check([listed()]);
    expect(requests).toEqual([FIRST_PAGE]);
  });

  it("passes when the stack's own topic is the ACS resource's", async () => {
    const { result } = await check([listed(topic(OUR_TOPIC))], { eventGridSystemTopicId: OUR_TOPIC.toUpperCase() });
    expect(result).toEqual({ id: "event-grid-topic", title, status: "pass", evidence: OUR_TOPIC.toUpperCase() });
  });

  it("fails when another topic holds the ACS resource, naming it and the setting that adopts it", async () => {
    const { result } = await check([listed(topic(OTHER_TOPIC))], { eventGridSystemTopicId: OUR_TOPIC });
    expect(result).toEqual({
      id: "event-grid-topic",
      title,
      status: "fail",
      evidence: `the ACS resource's system topic is ${OTHER_TOPIC}, not the stack's ${OUR_TOPIC}`,
      fix: "Azure allows one system topic per ACS resource: set acs-notifications:existingEventGridSystemTopic to { name, resourceGroupName } of that topic, then `pulumi up`",
    });
  });

  it("fails when the stack expects a topic and none has the ACS resource as source", async () => {
    const elsewhere = `${RG}/providers/Microsoft.Storage/storageAccounts/other`;
    const { result } = await check([listed(topic(OTHER_TOPIC, elsewhere), topic(`${RG}/x`, null))], {
      eventGridSystemTopicId: OUR_TOPIC,
    });
    expect(result).toEqual({
      id: "event-grid-topic",
      title,
      status: "fail",
      evidence: `no system topic has the ACS resource as its source (the stack expects ${OUR_TOPIC})`,
      fix: "run `pulumi up` to create it again; until then ACS events go nowhere",
    });
  });

  it("passes a stack without events that has no topic, and points one without its own at an existing topic", async () => {
    expect((await check([{ status: 200, body: {} }])).result).toEqual({
      id: "event-grid-topic",
      title,
      status: "pass",
      evidence: "no system topic on the ACS resource (events are not used)",
    });
    expect((await check([listed(topic(OTHER_TOPIC))])).result).toEqual({
      id: "event-grid-topic",
      title,
      status: "pass",
      evidence: `${OTHER_TOPIC} (a stack can use it with acs-notifications:existingEventGridSystemTopic)`,
    });
  });

  it("names a topic by id, else by name, else '?'", async () => {
    const { result } = await check([listed(topic(undefined, ACS_ID, "by-name"), topic(undefined, ACS_ID, undefined))], {
      eventGridSystemTopicId: OUR_TOPIC,
    });
    expect(result.evidence).toBe(`the ACS resource's system topic is by-name, ?, not the stack's ${OUR_TOPIC}`);
  });

  it("follows nextLink to the page that holds the topic", async () => {
    const next = `https://management.azure.com/subscriptions/${SUB}/providers/Microsoft.EventGrid/systemTopics?api-version=${EVENT_GRID_API_VERSION}&$skiptoken=abc`;
    const { result, requests } = await check(
      [
        {
          status: 200,
          body: { value: [topic(OTHER_TOPIC, `${RG}/providers/Microsoft.Storage/storageAccounts/a`)], nextLink: next },
        },
        listed(topic(OUR_TOPIC)),
      ],
      { eventGridSystemTopicId: OUR_TOPIC },
    );
    expect(requests).toEqual([FIRST_PAGE, next]);
    expect(result.status).toBe("pass");
  });

  it("stops after 20 pages of a listing that never ends", async () => {
    const { requests, result } = await check([
      { status: 200, body: { value: [], nextLink: "https://management.azure.com/more" } },
    ]);
    expect(requests).toHaveLength(20);
    expect(result.status).toBe("pass");
  });

  it.each([401, 403])("skips on HTTP %i and names the role that reads topics", async (status) => {
    expect((await check([{ status, body: { error: { code: "AuthorizationFailed", message: "RAW" } } }])).result).toEqual({
      id: "event-grid-topic",
      title,
      status: "skip",
      evidence: `the subscription's Event Grid system topics could not be listed (HTTP ${status})`,
      fix: "the identity needs Reader on the subscription",
    });
  });

  it("skips on other failures without a role to grant, a later page's included", async () => {
    expect((await check([{ status: 500 }])).result).toEqual({
      id: "event-grid-topic",
      title,
      status: "skip",
      evidence: "the subscription's Event Grid system topics could not be listed (HTTP 500)",
    });
    const later = await check([{ status: 200, body: { value: [topic(OUR_TOPIC)], nextLink: "https://x/2" } }, { status: 404 }]);
    expect(later.result).toMatchObject({ status: "skip", evidence: expect.stringContaining("(HTTP 404)") });
    expect((await check([networkFailure("no-answer", "management.azure.com", 30_000)])).result).toEqual({
      id: "event-grid-topic",
      title,
      status: "skip",
      evidence: "the subscription's Event Grid system topics could not be listed",
    });
  });
});
