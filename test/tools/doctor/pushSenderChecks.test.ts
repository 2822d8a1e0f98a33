import type { DoctorClients } from "../../../tools/doctor/azureClients";
import type { DoctorTarget } from "../../../tools/doctor/checks";
import type { CheckResult } from "../../../tools/doctor/catalogue";
import { checkPushSender, WEB_API_VERSION } from "../../../tools/doctor/pushSenderChecks";
import { networkFailure } from "../../../azure/requestLimits";
import { armExample } from "../../support/azureFixtures";

/*
 * The push sender's checks judged in process, one answer at a time. The HTTP path through the
 * real SDK pipeline is covered by checks.test.ts (FakeAzure) and deadLetters.test.ts (Azurite);
 * here each read answers exactly what a test needs: an HTTP status, a body shape, a failure.
 */

const APP_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/push-func";
const CONTAINER = "https://deadletters.blob.core.windows.net/dead-letter";
const NOW = new Date("2026-11-28T12:00:00Z");
const KV_REFERENCE = armExample("web/GetKeyVaultReferencesForAppSetting.json").responses["200"].body as {
  properties: Record<string, unknown>;
};

type Answer = { status: number; body?: unknown; text?: string } | Error;
interface Script {
  functions?: Answer;
  reference?: Answer;
  /** One answer per page of the blob listing; the last repeats. */
  pages?: Answer[];
}

function clientsFor(script: Script) {
  const requests: string[] = [];
  const answer = (a: Answer | undefined) => {
    if (a === undefined) throw new Error("unexpected request");
    if (a instanceof Error) throw a;
    return { status: a.status, bodyAsText: a.text ?? (a.body === undefined ? undefined : JSON.stringify(a.body)) };
  };
  const clients = {
    arm: {
      send: async ({ path }: { path: string }) => {
        requests.push(path);
        return answer(path.includes("/functions?") ? script.functions : script.reference);
      },
    },
    storage: {
      send: async ({ url }: { url: string }) => {
        requests.push(url);
        const pages = script.pages ?? [];
        const storageRequests = requests.filter((r) => r.startsWith("https://")).length;
        return answer(pages[Math.min(storageRequests, pages.length) - 1]);
      },
    },
  } as unknown as DoctorClients;
  return { clients, requests };
}

async function run(script: Script, target: Partial<DoctorTarget>): Promise<{ results: CheckResult[]; requests: string[] }> {
  const { clients, requests } = clientsFor(script);
  const results: CheckResult[] = [];
  await checkPushSender(clients, { acsId: "", hubId: "", sinceHours: 24, ...target }, NOW, (r) => results.push(r));
  return { results, requests };
}

const appOnly = (script: Script) =>
  run({ reference: { status: 200, body: reference("Resolved") }, ...script }, { functionAppId: APP_ID });
const registered = async (functions: Answer) => (await appOnly({ functions })).results[0];
const referenceCheck = async (reference: Answer) =>
  (await run({ functions: { status: 200, body: { value: [] } }, reference }, { functionAppId: APP_ID })).results[1];
const deadLetters = async (pages: Answer[], target: Partial<DoctorTarget> = {}) =>
  run({ pages }, { deadLetterContainerUrl: CONTAINER, ...target });

function reference(status?: string, secret: { secretName?: string; secretVersion?: string } = {}) {
  return {
    ...KV_REFERENCE,
    properties: { ...KV_REFERENCE.properties, secretName: undefined, secretVersion: undefined, status, ...secret },
  };
}

/** A List Blobs answer (the Blob service's EnumerationResults), each blob with its Last-Modified. */
function listing(blobs: { name: string; modified?: string }[], nextMarker = ""): Answer {
  const items = blobs
    .map(
      (b) =>
        `<Blob><Name>${b.name}</Name><Properties>${b.modified ? `<Last-Modified>${b.modified}</Last-Modified>` : ""}<Content-Length>2</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>`,
    )
    .join("");
  return {
    status: 200,
    text: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://deadletters.blob.core.windows.net/" ContainerName="dead-letter"><MaxResults>5000</MaxResults><Blobs>${items}</Blobs><NextMarker>${nextMarker}</NextMarker></EnumerationResults>`,
  };
}

const http = (status: number): Answer => ({ status, body: { error: { code: "X", message: "RAW-AZURE-TEXT" } } });
const fn = (name: string, isDisabled = false) => ({ name: `push-func/${name}`, properties: { name, isDisabled } });

describe("the push sender's function is registered", () => {
  const title = "push sender's sendPush function is registered";

  it("reads the app's functions at the Web API version it names", async () => {
    const { requests } = await appOnly({ functions: { status: 200, body: { value: [fn("sendPush")] } } });
    expect(requests[0]).toBe(`${APP_ID}/functions?api-version=${WEB_API_VERSION}`);
  });

  it("passes when sendPush is indexed and enabled", async () => {
    expect(await registered({ status: 200, body: { value: [fn("other"), fn("sendPush")] } })).toEqual({
      id: "function-registered",
      title,
      status: "pass",
      evidence: "sendPush is indexed and enabled",
    });
  });

  it("fails when the host indexed nothing, or only other functions, and says what to do", async () => {
    const fix =
      "the package did not deploy or its entry point failed to load: run `pulumi up` (redeploys it), then read the app's Deployment Center and host log";
    expect(await registered({ status: 200, body: { value: [] } })).toEqual({
      id: "function-registered",
      title,
      status: "fail",
      evidence: "the host indexed no function at all",
      fix,
    });
    expect(await registered({ status: 200, body: { value: [fn("health"), fn("other")] } })).toEqual({
      id: "function-registered",
      title,
      status: "fail",
      evidence: "the host indexed health, other, not sendPush",
      fix,
    });
  });

  it("reads a function's name from properties first, else from the last segment of its resource name", async () => {
    expect(await registered({ status: 200, body: { value: [{ name: "push-func/sendPush" }] } })).toMatchObject({
      status: "pass",
    });
    // properties.name is the function's own name; the resource name is only the fallback.
    expect(
      await registered({ status: 200, body: { value: [{ name: "push-func/sendPush", properties: { name: "renamed" } }] } }),
    ).toMatchObject({ status: "fail", evidence: "the host indexed renamed, not sendPush" });
    expect(await registered({ status: 200, body: { value: [{ properties: {} }, {}] } })).toMatchObject({
      evidence: "the host indexed ?, ?, not sendPush",
    });
  });

  it("fails when sendPush is disabled, naming the setting that disables it", async () => {
    expect(await registered({ status: 200, body: { value: [fn("sendPush", true)] } })).toEqual({
      id: "function-registered",
      title,
      status: "fail",
      evidence: "sendPush is disabled",
      fix: "enable it: remove the AzureWebJobs.sendPush.Disabled setting",
    });
  });

  it("says an answer that is not JSON could not be read, rather than that nothing is deployed", async () => {
    const unreadable = await registered({ status: 200, text: "<html>gateway</html>" });
    expect(unreadable).toMatchObject({
      status: "fail",
      evidence: expect.stringMatching(/answered with something that could not be read as its answer/),
    });
    expect(unreadable.evidence).not.toMatch(/indexed no function/);
    // An empty answer lists nothing.
    expect(await registered({ status: 200 })).toMatchObject({ evidence: "the host indexed no function at all" });
  });

  it.each([
    [401, "not allowed to read the app's functions (HTTP 401): the identity needs Reader on the Function App"],
    [403, "not allowed to read the app's functions (HTTP 403): the identity needs Reader on the Function App"],
    [404, "the app's functions does not exist (HTTP 404)"],
    [500, "reading the app's functions failed with HTTP 500"],
  ])("explains HTTP %i without Azure's own text", async (status, evidence) => {
    expect(await registered(http(status))).toEqual({ id: "function-registered", title, status: "fail", evidence });
  });

  it("says which host did not answer, and nothing of other errors' text", async () => {
    const silent = networkFailure("no-answer", "management.azure.com", 30_000);
    expect(await registered(silent)).toMatchObject({
      status: "fail",
      evidence: `could not read the app's functions: ${silent.message}`,
    });
    const deadline = Object.assign(new Error("the doctor's 5-minute deadline passed"), { name: "DeadlineExceeded" });
    expect(await registered(deadline)).toMatchObject({
      evidence: "could not read the app's functions: the doctor's 5-minute deadline passed",
    });
    expect(await registered(new Error("RAW-AZURE-TEXT"))).toEqual({
      id: "function-registered",
      title,
      status: "fail",
      evidence: "reading the app's functions failed",
    });
  });
});

describe("the hub connection string's Key Vault reference resolves", () => {
  const title = "NOTIFICATION_HUB_CONNECTION_STRING resolves from Key Vault";
  const failing = ": every invocation fails naming NOTIFICATION_HUB_CONNECTION_STRING until it resolves";

  it("reads the setting's reference at the Web API version it names", async () => {
    const { requests } = await appOnly({ functions: { status: 200, body: { value: [] } } });
    expect(requests[1]).toBe(
      `${APP_ID}/config/configreferences/appsettings/NOTIFICATION_HUB_CONNECTION_STRING?api-version=${WEB_API_VERSION}`,
    );
  });

  it("passes when resolved, naming the secret and the start of its version", async () => {
    const body = reference("Resolved", { secretName: "notification-hub-send", secretVersion: "0123456789abcdef" });
    expect(await referenceCheck({ status: 200, body })).toEqual({
      id: "hub-secret-reference",
      title,
      status: "pass",
      evidence: "status Resolved (secret notification-hub-send, version 01234567…)",
    });
    expect(await referenceCheck({ status: 200, body: reference("Resolved", { secretName: "s" }) })).toMatchObject({
      evidence: "status Resolved (secret s)",
    });
    expect(await referenceCheck({ status: 200, body: reference("Resolved") })).toMatchObject({ evidence: "status Resolved" });
  });

  it.each([
    [
      "AccessToKeyVaultDenied",
      "fail",
      "the app's identity may not read the secret: `pulumi up` grants Key Vault Secrets User; a new role can take minutes, then restart the app",
    ],
    ["MSINotEnabled", "fail", "the app has no managed identity: `pulumi up` restores its system identity"],
    ["SecretNotFound", "fail", "the secret is gone: `pulumi up` writes it again"],
    ["Initialized", "warn", "not resolved yet: the app resolves it at its next start"],
    ["FetchTimedOut", "warn", "Key Vault did not answer App Service in time: restart the app"],
    ["SomethingNew", "warn", "an unfamiliar status: see the Function App's Environment variables blade"],
  ])("%s: %s, with what to do", async (state, status, fix) => {
    expect(await referenceCheck({ status: 200, body: reference(state, { secretName: "s" }) })).toEqual({
      id: "hub-secret-reference",
      title,
      status,
      evidence: `status ${state} (secret s)${failing}`,
      fix,
    });
  });

  it("reads an answer without properties as an unknown status", async () => {
    expect(await referenceCheck({ status: 200, body: {} })).toMatchObject({
      status: "warn",
      evidence: `status unknown${failing}`,
    });
  });

  it.each([
    [403, "not allowed to read the setting's Key Vault reference (HTTP 403): the identity needs Reader on the Function App"],
    [404, "the setting's Key Vault reference does not exist (HTTP 404)"],
    [502, "reading the setting's Key Vault reference failed with HTTP 502"],
  ])("explains HTTP %i", async (status, evidence) => {
    expect(await referenceCheck(http(status))).toEqual({ id: "hub-secret-reference", title, status: "fail", evidence });
  });

  it("fails on a read error without its text", async () => {
    expect(await referenceCheck(new Error("RAW-AZURE-TEXT"))).toEqual({
      id: "hub-secret-reference",
      title,
      status: "fail",
      evidence: "reading the setting's Key Vault reference failed",
    });
  });
});

describe("dead-letter records in the window", () => {
  const title = "dead-letter records in the window";
  const inWindow = "Sat, 28 Nov 2026 11:00:00 GMT";

  it("counts the window's records, telling the sender's from Event Grid's", async () => {
    const { results } = await deadLetters([
      listing([
        { name: "push-sender/2026-11-28/evt-1.json", modified: inWindow },
        { name: "ACS-EVENTS/PUSH/2026/11/28/10/abc.json", modified: inWindow },
        { name: "push-sender/2026-11-26/old.json", modified: "Thu, 26 Nov 2026 11:00:00 GMT" },
        { name: "push-sender/2026-11-28/no-date.json" },
      ]),
    ]);
    expect(results).toEqual([
      {
        id: "dead-letters",
        title,
        status: "warn",
        evidence: "last 24h: 2 record(s), 1 from the push sender, 1 from Event Grid",
        fix: "each record names the event id and why; the push sender's are under push-sender/<day>/",
      },
    ]);
  });

  it("counts a record written exactly at the window's start, and not one a second older", async () => {
    const { results } = await deadLetters([
      listing([
        { name: "push-sender/a.json", modified: "Fri, 27 Nov 2026 12:00:00 GMT" },
        { name: "push-sender/b.json", modified: "Fri, 27 Nov 2026 11:59:59 GMT" },
      ]),
    ]);
    expect(results[0].evidence).toBe("last 24h: 1 record(s), 1 from the push sender, 0 from Event Grid");
  });

  it("passes with no fix when the window holds none", async () => {
    const { results } = await deadLetters([listing([])]);
    expect(results).toEqual([
      { id: "dead-letters", title, status: "pass", evidence: "last 24h: 0 record(s), 0 from the push sender, 0 from Event Grid" },
    ]);
  });

  it("follows the listing's markers, escaped, from the container's own URL", async () => {
    const { results, requests } = await deadLetters(
      [
        listing([{ name: "push-sender/1.json", modified: inWindow }], "2!8!MDAwMDA5IXB1c2gtc2VuZGVy"),
        listing([{ name: "x/2.json", modified: inWindow }]),
      ],
      { deadLetterContainerUrl: `${CONTAINER}/` },
    );
    expect(requests).toEqual([
      `${CONTAINER}?restype=container&comp=list&maxresults=5000`,
      `${CONTAINER}?restype=container&comp=list&maxresults=5000&marker=2!8!MDAwMDA5IXB1c2gtc2VuZGVy`,
    ]);
    expect(results[0].evidence).toBe("last 24h: 2 record(s), 1 from the push sender, 1 from Event Grid");
    const spaced = await deadLetters([listing([], "a b/c"), listing([])]);
    expect(spaced.requests[1]).toMatch(/&marker=a%20b%2Fc$/);
  });

  it("stops after 20 pages of a listing that never ends", async () => {
    const { requests, results } = await deadLetters([listing([{ name: "push-sender/x.json", modified: inWindow }], "more")]);
    expect(requests).toHaveLength(20);
    expect(results[0].evidence).toBe("last 24h: 20 record(s), 20 from the push sender, 0 from Event Grid");
  });

  it("skips, saying why, when the container cannot be listed", async () => {
    expect((await deadLetters([{ status: 403, text: "<Error/>" }])).results).toEqual([
      {
        id: "dead-letters",
        title,
        status: "skip",
        evidence: "the dead-letter container could not be listed (HTTP 403)",
        fix: "the identity needs Storage Blob Data Reader on the account",
      },
    ]);
    expect((await deadLetters([{ status: 404, text: "<Error/>" }])).results).toEqual([
      { id: "dead-letters", title, status: "skip", evidence: "the dead-letter container could not be listed (HTTP 404)" },
    ]);
    // A later page that fails says so too, instead of counting half a listing.
    const later = await deadLetters([listing([{ name: "a", modified: inWindow }], "m"), { status: 500, text: "" }]);
    expect(later.results[0]).toMatchObject({
      status: "skip",
      evidence: "the dead-letter container could not be listed (HTTP 500)",
    });
  });

  it("fails when Storage did not answer, and skips on other errors without their text", async () => {
    const silent = networkFailure("refused", "deadletters.blob.core.windows.net", 30_000);
    expect((await deadLetters([silent])).results).toEqual([
      { id: "dead-letters", title, status: "fail", evidence: `could not read the dead-letter container: ${silent.message}` },
    ]);
    expect((await deadLetters([new Error("RAW-STORAGE-TEXT")])).results).toEqual([
      { id: "dead-letters", title, status: "skip", evidence: "reading the dead-letter container failed" },
    ]);
  });
});

describe("which push sender checks run", () => {
  it("reads nothing of the app without its id, and no container without its URL", async () => {
    const none = await run({}, {});
    expect(none).toEqual({ results: [], requests: [] });
    const appOnlyRun = await appOnly({ functions: { status: 200, body: { value: [fn("sendPush")] } } });
    expect(appOnlyRun.results.map((r) => r.id)).toEqual(["function-registered", "hub-secret-reference"]);
  });
});
