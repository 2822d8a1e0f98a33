import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHash } from "node:crypto";
import type { TokenCredential } from "@azure/identity";
import { ARM_ENDPOINT_ENV } from "../azure/armEndpoint";
import { createNotificationHubLinkProvider } from "../components/link/notificationHubLinkProvider";
import { createHubKeySecretProvider } from "../components/hubKeySecret/hubKeySecretProvider";
import { createOneDeployProvider, SCM_ENDPOINT_ENV } from "../components/pushSender/oneDeployProvider";
import { withDeadline } from "../azure/requestLimits";
import { createDoctorClients } from "../tools/doctor/azureClients";
import { runDoctor } from "../tools/doctor/checks";
import { testSend } from "../tools/doctor/testSend";
import { SilentListener } from "./support/silentListener";
import { NotificationHubsClient } from "@azure/notification-hubs";
import { createHubClient, hubClientOptions } from "../function/src/hubClient";
import { PushSender, TransientSendError } from "../function/src/pushSender";
import { OutcomeClient, OutcomeNotReadyError, PnsOutcomeReader } from "../function/src/pnsOutcomes";
import { InstallationClient, InstallationRegistrar } from "../function/src/registration";
import { userTag } from "../function/src/tags";
import { publishedEvent } from "./support/azureFixtures";

const SUB = "11111111-1111-1111-1111-111111111111";
const RG = `/subscriptions/${SUB}/resourceGroups/rg`;
const ACS_ID = `${RG}/providers/Microsoft.Communication/communicationServices/acs`;
const HUB_ID = `${RG}/providers/Microsoft.NotificationHubs/namespaces/nh/notificationHubs/hub`;
const credential: TokenCredential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const TIMEOUT_MS = 300;

/** Every Azure call the project makes ends in bounded time against an endpoint that accepts and never answers. */
describe("nothing hangs: a listener that accepts and stays silent", () => {
  const silent = new SilentListener();
  beforeAll(() => silent.start());
  afterAll(() => silent.stop());
  afterEach(() => {
    delete process.env[ARM_ENDPOINT_ENV];
    delete process.env[SCM_ENDPOINT_ENV];
  });

  const bounded = async <T>(work: Promise<T>) => {
    const started = Date.now();
    const outcome = await withDeadline(work, 10_000, "the test's own guard").then(
      (value) => ({ value, error: undefined as Error | undefined }),
      (error: Error) => ({ value: undefined, error }),
    );
    return { ...outcome, ms: Date.now() - started };
  };

  it("the doctor: every check ends, the silent host is named, and the hub's checks are skipped with the reason", async () => {
    process.env[ARM_ENDPOINT_ENV] = silent.endpoint;
    const clients = await createDoctorClients(SUB, {
      credential,
      requestTimeoutMs: TIMEOUT_MS,
      pipelineOptions: { retryOptions: { maxRetries: 0 } },
    });
    const {
      value: results,
      ms,
      error,
    } = await bounded(
      runDoctor(
        {
          acsId: ACS_ID,
          hubId: HUB_ID,
          eventGridSystemTopicId: `${RG}/providers/Microsoft.EventGrid/systemTopics/t`,
          applicationInsightsId: `${RG}/providers/Microsoft.Insights/components/ai`,
          functionAppId: `${RG}/providers/Microsoft.Web/sites/f`,
          sinceHours: 24,
        },
        clients,
      ),
    );
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(5_000);
    const byId = Object.fromEntries(results!.map((r) => [r.id, r]));
    const noAnswer = `${silent.host} did not answer within 0.3 s`;
    for (const id of [
      "acs-linked",
      "hub-exists",
      "event-delivery",
      "function-failures",
      "function-registered",
      "hub-secret-reference",
    ]) {
      expect([id, byId[id].status]).toEqual([id, "fail"]);
      expect(byId[id].evidence).toContain(noAnswer);
    }
    for (const id of ["hub-credentials", "send-rule", "link-current", "hub-metrics"]) {
      expect([id, byId[id].status]).toEqual([id, "skip"]);
      expect(byId[id].evidence).toMatch(/the hub could not be read/);
    }
    expect(byId["event-grid-topic"].status).toBe("skip");
  });

  it("the link provider fails with a message naming ARM's host", async () => {
    process.env[ARM_ENDPOINT_ENV] = silent.endpoint;
    const provider = createNotificationHubLinkProvider({
      credential: () => credential,
      requestTimeoutMs: TIMEOUT_MS,
    });
    const { error, ms } = await bounded(
      provider.create!({
        communicationServiceId: ACS_ID,
        notificationHubId: HUB_ID,
        authorizationRuleId: `${HUB_ID}/authorizationRules/send`,
      }),
    );
    expect(ms).toBeLessThan(5_000);
    expect(error?.message).toMatch(
      new RegExp(`could not be reached: ${silent.host.replace(".", "\\.")} did not answer within 0\\.3 s`),
    );
    expect(error?.message).not.toContain("SharedAccessKey=");
  });

  it("the hub key secret's provider fails with a message naming ARM's host", async () => {
    process.env[ARM_ENDPOINT_ENV] = silent.endpoint;
    const provider = createHubKeySecretProvider({ credential: () => credential, requestTimeoutMs: TIMEOUT_MS });
    const { error, ms } = await bounded(
      provider.create!({
        authorizationRuleId: `${HUB_ID}/authorizationRules/send`,
        vaultId: HUB_ID.replace(/providers\/.*$/, "providers/Microsoft.KeyVault/vaults/kv"),
        secretName: "hub-send-connection-string",
      }),
    );
    expect(ms).toBeLessThan(5_000);
    expect(error?.message).toMatch(new RegExp(`${silent.host.replace(".", "\\.")} did not answer within 0\\.3 s`));
  });

  it("the OneDeploy provider fails with a message naming the SCM host", async () => {
    process.env[SCM_ENDPOINT_ENV] = silent.endpoint;
    const zip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "acs-hang-")), "p.zip");
    fs.writeFileSync(zip, "PK fake");
    const sha = createHash("sha256").update(fs.readFileSync(zip)).digest("hex");
    const provider = createOneDeployProvider({
      credential: () => credential,
      requestTimeoutMs: TIMEOUT_MS,
      uploadTimeoutMs: TIMEOUT_MS,
      pipelineOptions: { retryOptions: { maxRetries: 0 } },
    });
    const { error, ms } = await bounded(
      provider.create!({
        functionAppId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/f",
        scmHost: "f.scm.azurewebsites.net",
        packagePath: zip,
        packageSha256: sha,
      }),
    );
    expect(ms).toBeLessThan(5_000);
    expect(error?.message).toMatch(/Deploying the push sender to .* failed: 127\.0\.0\.1:\d+ did not answer within 0\.3 s/);
  });

  it("a test send fails with a message naming the hub's host", async () => {
    const port = new URL(silent.endpoint).port;
    const connectionString = `Endpoint=sb://127.0.0.1:${port}/;SharedAccessKeyName=acs-send;SharedAccessKey=c2VjcmV0`;
    const { error, ms } = await bounded(
      testSend(connectionString, "hub", "user_x", ["apple"], { retryOptions: { maxRetries: 0 } }, TIMEOUT_MS),
    );
    expect(ms).toBeLessThan(5_000);
    expect(error?.message).toContain(`127.0.0.1:${port} did not answer within 0.3 s`);
  });

  describe("the function's hub calls (sender, outcome reader, registration endpoint)", () => {
    const silentHub = () =>
      `Endpoint=sb://127.0.0.1:${new URL(silent.endpoint).port}/;SharedAccessKeyName=acs-send;SharedAccessKey=c2VjcmV0`;
    // The function's own client options, with this test's short per-attempt limit and one attempt.
    const noRetry = { retryOptions: { maxRetries: 0 } };
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

    it("the sender fails the event so Event Grid retries, within the per-attempt limit", async () => {
      const sender = new PushSender(createHubClient(silentHub(), "hub", noRetry, TIMEOUT_MS), {
        platforms: ["apple"],
        includePreview: false,
        sendChatMessages: true,
      });
      const { error, ms } = await bounded(sender.handle({ ...publishedEvent("chatMessageReceived"), id: "silent-1" }, quiet));
      expect(ms).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(TransientSendError);
    });

    it("the outcome reader hands the message back for a later try", async () => {
      const client = createHubClient(silentHub(), "hub", noRetry, TIMEOUT_MS) as unknown as OutcomeClient;
      const reader = new PnsOutcomeReader(() => client);
      const request = { eventId: "e", recipientTag: userTag("8:acs:x"), platform: "apple", notificationId: "1" };
      const { error, ms } = await bounded(reader.handle(request, 1, quiet));
      expect(ms).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(OutcomeNotReadyError);
    });

    it("the registration endpoint answers 503 (retry later)", async () => {
      const client = new NotificationHubsClient(silentHub(), "hub", hubClientOptions(noRetry, TIMEOUT_MS));
      const registrar = new InstallationRegistrar(client as unknown as InstallationClient, [
        "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b",
      ]);
      const principal = Buffer.from(
        JSON.stringify({ claims: [{ typ: "azp", val: "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b" }] }),
      ).toString("base64");
      const { value, ms } = await bounded(registrar.handle("DELETE", "device-1", principal, { userId: "8:acs:x_1" }, quiet));
      expect(ms).toBeLessThan(5_000);
      expect(value?.status).toBe(503);
    });

    it("by default, each attempt is limited and the retries are bounded", () => {
      const options = hubClientOptions();
      expect(options.retryOptions).toEqual({ maxRetries: 2, retryDelayInMs: 400, maxRetryDelayInMs: 3_000 });
      expect(options.additionalPolicies?.map((p) => [p.position, p.policy.name])).toEqual([
        ["perRetry", "acsPushHubRequestTimeout"],
      ]);
    });
  });
});
