import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHash } from "node:crypto";
import type { TokenCredential } from "@azure/identity";
import {
  CodeDeploymentInputs,
  CodeDeploymentOutputs,
  createOneDeployProvider,
  isDeploymentError,
  KUDU_STATUS,
  SCM_ENDPOINT_ENV,
  scmTokenScope,
} from "../../../components/pushSender/oneDeployProvider";
import { scmHostOf } from "../../../azure/globalNames";
import { FakeScm } from "../../support/fakeScm";
import { LOCALHOST_CA } from "../../support/tlsFake";

const APP_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/push-func";
const credential: TokenCredential = {
  getToken: async () => ({ token: "scm-test-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe("OneDeploy provider against a local SCM site", () => {
  const scm = new FakeScm();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-onedeploy-"));
  const zip = path.join(dir, "push-sender.zip");
  fs.writeFileSync(zip, Buffer.from("PK\u0003\u0004 fake zip for tests"));
  const sha = createHash("sha256").update(fs.readFileSync(zip)).digest("hex");
  const inputs: CodeDeploymentInputs = {
    functionAppId: APP_ID,
    scmHost: "push-func.scm.azurewebsites.net",
    packagePath: zip,
    packageSha256: sha,
  };
  const provider = createOneDeployProvider({
    credential: () => credential,
    pipelineOptions: {
      tlsOptions: { ca: LOCALHOST_CA },
      retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 10 },
    },
    pollIntervalMs: 5,
    pollTimeoutMs: 2_000,
    forbiddenRetryDelaysMs: [5, 5, 5],
  });

  beforeAll(async () => {
    await scm.start();
    process.env[SCM_ENDPOINT_ENV] = scm.endpoint;
  });
  afterAll(async () => {
    delete process.env[SCM_ENDPOINT_ENV];
    await scm.stop();
  });
  beforeEach(() => scm.reset());

  it("create POSTs the zip to /api/publish with an Azure bearer token", async () => {
    const { id, outs } = await provider.create!(inputs);
    expect(id).toBe(`${APP_ID}/deployments/onedeploy`);
    expect(outs).toMatchObject({ packageSha256: sha });
    const [publish] = scm.requests;
    expect(publish).toMatchObject({
      method: "POST",
      path: "/api/publish",
      authorization: "Bearer scm-test-token",
      contentType: "application/zip",
    });
    expect(publish.query).toContain("type=zip");
    expect(publish.body.equals(fs.readFileSync(zip))).toBe(true);
  });

  it.each(["body", "quoted-body", "location"] as const)(
    "follows the deployment the 202 named (%s) until it finishes, never deployments/latest",
    async (acceptedWith) => {
      scm.publishStatus = 202;
      scm.acceptedWith = acceptedWith;
      scm.pollsUntilDone = 3;
      await provider.create!(inputs);
      expect(scm.requests.filter((r) => r.path === `/api/deployments/${scm.deploymentId}`)).toHaveLength(3);
      expect(scm.requests.filter((r) => r.path === "/api/deployments/latest")).toHaveLength(0);
    },
  );

  it("refuses to guess when a 202 names no deployment", async () => {
    scm.publishStatus = 202;
    scm.acceptedWith = "nothing";
    await expect(provider.create!(inputs)).rejects.toThrow(/named no deployment to follow/);
  });

  it.each([
    [KUDU_STATUS.failed, /failed on the site: npm start failed.*Deployment Center/],
    [KUDU_STATUS.cancelled, /was cancelled on the site/],
    [KUDU_STATUS.conflict, /stopped by a conflicting deployment/],
    [KUDU_STATUS.partialSuccess, /only partly succeeded.*syncing triggers/],
  ])("reports terminal state %i as a failure, with what happened", async (state, message) => {
    scm.publishStatus = 202;
    scm.finalStatus = state;
    const error = await provider.create!(inputs).catch((e: unknown) => e);
    expect(isDeploymentError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    // Terminal: no more polling after it.
    expect(scm.requests.filter((r) => r.method === "GET")).toHaveLength(2);
  });

  it("retries a publish refused while new roles propagate, then deploys", async () => {
    scm.forbiddenPublishes = 2;
    await provider.create!(inputs);
    expect(scm.requests.map((r) => r.path)).toEqual(["/api/publish", "/api/publish", "/api/publish"]);
  });

  it("gives up on a lasting 403 with a message saying what to grant", async () => {
    scm.forbiddenPublishes = 10;
    const error = await provider.create!(inputs).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/still refused \(HTTP 403\) after 3 retries.*Website Contributor/);
    expect(scm.requests).toHaveLength(4);
  });

  it("asks for a token for the classic management audience of the cloud, as the Azure CLI does", () => {
    expect(scmTokenScope({})).toBe("https://management.core.windows.net/.default");
    expect(scmTokenScope({ ACS_NOTIFICATIONS_ARM_ENDPOINT: "https://management.chinacloudapi.cn" })).toBe(
      "https://management.core.chinacloudapi.cn/.default",
    );
    expect(scmTokenScope({ ACS_NOTIFICATIONS_ARM_ENDPOINT: "https://management.usgovcloudapi.net/" })).toBe(
      "https://management.core.usgovcloudapi.net/.default",
    );
  });

  it("does not deploy when the package hash is unchanged, and does when it changed", async () => {
    const olds: CodeDeploymentOutputs = { ...inputs, deployedAt: "2026-01-01T00:00:00Z" };
    expect(await provider.diff!("id", olds, { ...inputs, packagePath: "/elsewhere/push-sender.zip" })).toEqual({
      changes: false,
      replaces: [],
    });
    expect(await provider.diff!("id", olds, { ...inputs, packageSha256: "0".repeat(64) })).toEqual({
      changes: true,
      replaces: [],
    });
    expect((await provider.diff!("id", olds, { ...inputs, functionAppId: `${APP_ID}-2` })).replaces).toEqual(["functionAppId"]);
    expect(scm.requests).toHaveLength(0);
    await provider.update!("id", olds, inputs);
    expect(scm.requests.map((r) => r.path)).toEqual(["/api/publish"]);
  });

  it("refuses a package that changed after the plan", async () => {
    await expect(provider.create!({ ...inputs, packageSha256: "f".repeat(64) })).rejects.toThrow(
      /changed after the plan was made/,
    );
    expect(scm.requests).toHaveLength(0);
  });

  it("retries 503 and 429, then succeeds", async () => {
    scm.queued.push(503, 429);
    await provider.create!(inputs);
    expect(scm.requests.map((r) => r.path)).toEqual(["/api/publish", "/api/publish", "/api/publish"]);
  });

  it.each([
    [401, /grant it Website Contributor/],
    [404, /finished provisioning/],
    [409, /another deployment is in progress/],
    [400, /rebuild it/],
  ])("explains HTTP %i without leaking the token", async (status, advice) => {
    scm.queued.push(status);
    const error = await provider.create!(inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDeploymentError(error)).toBe(true);
    expect((error as Error).message).toMatch(advice);
    expect((error as Error).message).not.toContain("scm-test-token");
  });

  it("keeps polling through a record not written yet (404) and a body that is not JSON", async () => {
    scm.publishStatus = 202;
    scm.pollsUntilDone = 1;
    scm.pollAnswers.push(404, "not-json");
    await provider.create!(inputs);
    expect(scm.requests.filter((r) => r.method === "GET")).toHaveLength(3);
  });

  it.each([
    [
      400,
      /failed \(HTTP 400\): the package was rejected: rebuild it \(a corrupt or empty zip\?\)\. The site said: poll failure$/,
    ],
    [500, /failed \(HTTP 500\): the SCM site stayed throttled or unavailable after retries/],
  ])("stops polling on an HTTP %i, saying what the site said", async (status, message) => {
    scm.publishStatus = 202;
    scm.pollAnswers.push(status, status, status, status);
    const error = await provider.create!(inputs).catch((e: unknown) => e);
    expect(isDeploymentError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it("gives up polling a deployment that never finishes, pointing at the Deployment Center", async () => {
    const quick = createOneDeployProvider({
      credential: () => credential,
      pipelineOptions: { tlsOptions: { ca: LOCALHOST_CA } },
      pollIntervalMs: 5,
      pollTimeoutMs: 100,
    });
    scm.publishStatus = 202;
    scm.pollsUntilDone = 1_000_000;
    await expect(quick.create!(inputs)).rejects.toThrow(
      `Deploying the push sender to ${APP_ID} did not finish in time; check the Function App's Deployment Center, then run \`pulumi up\` again.`,
    );
  });

  it("bounds the whole deployment, and says which app and what to do", async () => {
    const bounded = createOneDeployProvider({
      credential: () => credential,
      pipelineOptions: { tlsOptions: { ca: LOCALHOST_CA } },
      pollIntervalMs: 5,
      pollTimeoutMs: 60_000,
      deadlineMs: 300,
    });
    scm.publishStatus = 202;
    scm.pollsUntilDone = 1_000_000;
    const error = await bounded.create!(inputs).catch((e: unknown) => e);
    expect(isDeploymentError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `Deploying the push sender to ${APP_ID} failed: Deploying the push sender did not finish within 0 s. Run \`pulumi up\` again.`,
    );
  });

  it("says how long it waited for a refused publish, in seconds", async () => {
    const patient = createOneDeployProvider({
      credential: () => credential,
      pipelineOptions: { tlsOptions: { ca: LOCALHOST_CA } },
      forbiddenRetryDelaysMs: [700, 800],
    });
    scm.forbiddenPublishes = 10;
    await expect(patient.create!(inputs)).rejects.toThrow(/still refused \(HTTP 403\) after 2 retries over 2 s\./);
  });

  it("names both hashes, shortened, when the package changed after the plan", async () => {
    const planned = "f".repeat(64);
    await expect(provider.create!({ ...inputs, packageSha256: planned })).rejects.toThrow(
      `The package ${zip} changed after the plan was made (hash ${sha.slice(0, 12)}…, expected ${"f".repeat(12)}…): run \`pulumi up\` again.`,
    );
  });

  it("derives the SCM host from the app's default host name", () => {
    expect(scmHostOf("push-func.azurewebsites.net")).toBe("push-func.scm.azurewebsites.net");
    expect(scmHostOf("push-func-a1b2c3.westeurope-01.azurewebsites.net")).toBe(
      "push-func-a1b2c3.scm.westeurope-01.azurewebsites.net",
    );
  });
});
