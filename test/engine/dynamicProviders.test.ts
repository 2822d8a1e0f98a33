import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { TokenCredential } from "@azure/identity";
import { ARM_ENDPOINT_ENV } from "../../azure/armEndpoint";
import { createNotificationHubLinkProvider } from "../../components/link/notificationHubLinkProvider";
import { createOneDeployProvider, SCM_ENDPOINT_ENV } from "../../components/pushSender/oneDeployProvider";
import { createVaultNameSuffixProvider } from "../../components/vaultNameSuffix/vaultNameSuffixProvider";
import { createPartitionLayoutProvider } from "../../components/partitionLayout/partitionLayoutProvider";
import { createHubKeySecretProvider } from "../../components/hubKeySecret/hubKeySecretProvider";
import { armError, FakeArm, PUBLISHED_ARM_ERRORS } from "../support/fakeArm";
import { FakeScm } from "../support/fakeScm";
import { LOCALHOST_CA } from "../support/tlsFake";

/**
 * The engine does not run a dynamic provider from the program's modules: `pulumi.dynamic.Resource`
 * serializes it with `serializeFunction(() => provider, { allowSecrets: true })`, and the
 * dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) loads that text in its own
 * process with `require-from-string` and calls `.handler()`. These tests take the same path and
 * check that each failure reaches the user with its message and without a key.
 */
const HOST_DIR = path.dirname(require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js"));
const REQUIRE_FROM_STRING = require.resolve("require-from-string", { paths: [HOST_DIR] });
const credential: TokenCredential = {
  getToken: async () => ({ token: "engine-test-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const fastPipeline = {
  tlsOptions: { ca: LOCALHOST_CA },
  retryOptions: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 },
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-engine-"));

/** Serializes the provider as the engine does, then runs one operation on it in a fresh process. */
async function runInFreshHost(
  provider: pulumi.dynamic.ResourceProvider,
  operation: "create" | "read" | "check",
  args: unknown[],
  env: Record<string, string>,
): Promise<{ ok: boolean; result?: unknown; name?: string; message?: string; failureCase?: string }> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  const file = path.join(dir, `${createHash("sha256").update(serialized.text).digest("hex").slice(0, 12)}.js`);
  fs.writeFileSync(file, serialized.text);
  const script = `
    const requireFromString = require(${JSON.stringify(REQUIRE_FROM_STRING)});
    const text = require("node:fs").readFileSync(${JSON.stringify(file)}, "utf8");
    const provider = requireFromString(text).${serialized.exportName}();
    provider.${operation}(...${JSON.stringify(args)}).then(
      (result) => process.stdout.write(JSON.stringify({ ok: true, result })),
      (e) => process.stdout.write(JSON.stringify({ ok: false, name: e && e.name, message: e && e.message, failureCase: e && e.failureCase })),
    );
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], {
    cwd: HOST_DIR,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  return JSON.parse(stdout);
}

const SUB = "11111111-1111-1111-1111-111111111111";
const ACS_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs`;
const HUB_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.NotificationHubs/namespaces/nh/notificationHubs/hub`;
const KEY = "c2VjcmV0LWtleS10aGF0LW11c3QtbmV2ZXItbGVhay0xMjM0NTY3ODkwYWJjZA==";
const CONNECTION_STRING = `Endpoint=sb://nh.servicebus.windows.net/;SharedAccessKeyName=acs-send;SharedAccessKey=${KEY}`;
const RULE_ID = `${HUB_ID}/authorizationRules/acs-send`;
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv`;

describe("dynamic providers as the engine runs them (closure-serialized, loaded in a fresh process)", () => {
  const arm = new FakeArm();
  const scm = new FakeScm();
  beforeAll(async () => {
    await Promise.all([arm.start(), scm.start()]);
  });
  afterAll(async () => {
    await Promise.all([arm.stop(), scm.stop()]);
  });

  const linkProvider = createNotificationHubLinkProvider({
    credential: () => credential,
    clientOptions: fastPipeline,
  });

  // What goes into state with every resource is the provider's own code, compiled as `pulumi up`
  // compiles it (scripts/typescript-emit.js): no TypeScript import helper (a dynamic `import()`
  // inside provider code brings four) and no getter per export (another transpiler's emit), each of
  // which the SDK would serialize — and analyse, on every preview — as one more function.
  it.each([
    ["link", () => linkProvider],
    ["hub key secret", () => createHubKeySecretProvider({ credential: () => credential })],
    ["OneDeploy", () => createOneDeployProvider({ credential: () => credential })],
  ])("the %s provider serializes without compiler helpers", async (_name, create) => {
    const provider = create();
    const { text } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    expect(text).not.toMatch(/__importStar|__createBinding|__importDefault/);
    expect(text).not.toMatch(/Object\.defineProperty\(__[\w$]+, "[\w$]+", \{ enumerable: true, get: /);
    expect(text).toMatch(/require\("@azure\/core-rest-pipeline"\)/);
  });

  it("the link reads its rule's key and succeeds, and its outputs come back", async () => {
    arm.addService(ACS_ID);
    arm.addRuleKey(RULE_ID, CONNECTION_STRING);
    const out = await runInFreshHost(
      linkProvider,
      "create",
      [{ communicationServiceId: ACS_ID, notificationHubId: HUB_ID, authorizationRuleId: RULE_ID }],
      {
        [ARM_ENDPOINT_ENV]: arm.endpoint,
      },
    );
    expect(out).toMatchObject({ ok: true });
    expect(out.result).toMatchObject({ id: `${ACS_ID}/notificationHubLink`, outs: { linkedNotificationHubId: HUB_ID } });
    expect(JSON.stringify(out.result)).not.toContain(KEY);
  });

  it("the hub key secret is written, with no key in its outputs, and a refused key read keeps its message", async () => {
    arm.addRuleKey(RULE_ID, CONNECTION_STRING);
    const provider = createHubKeySecretProvider({ credential: () => credential, pipelineOptions: fastPipeline });
    const inputs = { authorizationRuleId: RULE_ID, vaultId: VAULT_ID, secretName: "hub-send-connection-string" };
    const out = await runInFreshHost(provider, "create", [inputs], { [ARM_ENDPOINT_ENV]: arm.endpoint });
    expect(out).toMatchObject({
      ok: true,
      result: { outs: { secretUriWithVersion: expect.stringContaining("/secrets/hub-send-connection-string/") } },
    });
    expect(JSON.stringify(out.result)).not.toContain(KEY);
    arm.refuseListKeys = true;
    try {
      const refused = await runInFreshHost(provider, "create", [inputs], { [ARM_ENDPOINT_ENV]: arm.endpoint });
      expect(refused).toMatchObject({ ok: false, name: "HubRuleKeysError", message: expect.stringMatching(/listKeys\/action/) });
    } finally {
      arm.refuseListKeys = false;
    }
  });

  it("a link failure keeps its message, its case and no key (Azure's published WrongSubscription)", async () => {
    arm.addService(ACS_ID);
    arm.addRuleKey(RULE_ID, CONNECTION_STRING);
    const { code, message } = PUBLISHED_ARM_ERRORS.wrongSubscription;
    arm.failNext(armError(400, code, `${message} (${CONNECTION_STRING})`));
    const out = await runInFreshHost(
      linkProvider,
      "create",
      [{ communicationServiceId: ACS_ID, notificationHubId: HUB_ID, authorizationRuleId: RULE_ID }],
      {
        [ARM_ENDPOINT_ENV]: arm.endpoint,
      },
    );
    expect(out).toMatchObject({ ok: false, name: "LinkError", failureCase: "wrong-subscription" });
    expect(out.message).toMatch(/must be in the same subscription as the Communication Services resource/);
    expect(out.message).not.toContain(KEY);
  });

  it("a link read of a vanished ACS resource reports the link gone", async () => {
    arm.services.clear();
    const out = await runInFreshHost(
      linkProvider,
      "read",
      [`${ACS_ID}/notificationHubLink`, { communicationServiceId: ACS_ID, notificationHubId: HUB_ID }],
      {
        [ARM_ENDPOINT_ENV]: arm.endpoint,
      },
    );
    expect(out).toEqual({ ok: true, result: { id: "", props: {} } });
  });

  it("a OneDeploy failure keeps its message", async () => {
    const zip = path.join(dir, "push-sender.zip");
    fs.writeFileSync(zip, Buffer.from("PK\u0003\u0004 fake zip"));
    const sha = createHash("sha256").update(fs.readFileSync(zip)).digest("hex");
    scm.reset();
    scm.publishStatus = 202;
    scm.finalStatus = 3;
    const provider = createOneDeployProvider({
      credential: () => credential,
      pipelineOptions: fastPipeline,
      pollIntervalMs: 5,
      pollTimeoutMs: 5_000,
    });
    const out = await runInFreshHost(
      provider,
      "create",
      [
        {
          functionAppId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/f",
          scmHost: "f.scm.azurewebsites.net",
          packagePath: zip,
          packageSha256: sha,
        },
      ],
      { [SCM_ENDPOINT_ENV]: scm.endpoint },
    );
    expect(out).toMatchObject({ ok: false, name: "DeploymentError" });
    expect(out.message).toMatch(/failed on the site: npm start failed/);
    expect(out.message).not.toContain("engine-test-token");
  });

  it("the vault name suffix is drawn in the provider's own process: 8 hex, different each time", async () => {
    const provider = createVaultNameSuffixProvider();
    const inputs = { resourceGroupId: `/subscriptions/${SUB}/resourceGroups/mine`, location: "westeurope" };
    const [a, b] = await Promise.all([
      runInFreshHost(provider, "create", [inputs], {}),
      runInFreshHost(provider, "create", [inputs], {}),
    ]);
    expect(a).toMatchObject({ ok: true, result: { outs: { suffix: expect.stringMatching(/^[0-9a-f]{8}$/) } } });
    expect((a.result as { outs: { suffix: string } }).outs.suffix).not.toBe(
      (b.result as { outs: { suffix: string } }).outs.suffix,
    );
  });

  it("an app's partition layout refuses a shrink at check, with the reason, and lets it grow", async () => {
    const provider = createPartitionLayoutProvider();
    const shrink = await runInFreshHost(
      provider,
      "check",
      [
        { app: "customer", partitions: 3 },
        { app: "customer", partitions: 2 },
      ],
      {},
    );
    expect(shrink).toMatchObject({
      ok: true,
      result: {
        failures: [
          {
            property: "partitions",
            reason: expect.stringMatching(
              /app customer has 3 partitions; shrinking to 2 is refused: the devices registered in partitions 2…2 would stop getting pushes/,
            ),
          },
        ],
      },
    });
    const grow = await runInFreshHost(
      provider,
      "check",
      [
        { app: "customer", partitions: 3 },
        { app: "customer", partitions: 4 },
      ],
      {},
    );
    expect(grow).toMatchObject({ ok: true, result: { inputs: { partitions: 4 }, failures: [] } });
    // A first deployment has no old layout to compare with.
    const first = await runInFreshHost(provider, "check", [{}, { app: "customer", partitions: 1 }], {});
    expect(first).toMatchObject({ ok: true, result: { failures: [] } });
  });
});
