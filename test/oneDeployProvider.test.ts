import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHash } from "node:crypto";
import type { TokenCredential } from "@azure/identity";
import {
  CodeDeploymentInputs,
  CodeDeploymentOutputs,
  createOneDeployProvider,
  DeploymentError,
  SCM_ENDPOINT_ENV,
} from "../components/oneDeployProvider";
import { scmHostOf } from "../components/globalNames";
import { FakeScm, fakeScmCa } from "./support/fakeScm";

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
    pipelineOptions: { tlsOptions: { ca: fakeScmCa }, retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 10 } },
    pollIntervalMs: 5,
    pollTimeoutMs: 2_000,
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

  it("waits for an accepted (202) deployment to finish", async () => {
    scm.publishStatus = 202;
    scm.pollsUntilDone = 3;
    await provider.create!(inputs);
    expect(scm.requests.filter((r) => r.path === "/api/deployments/latest")).toHaveLength(3);
  });

  it("reports a deployment that failed on the site", async () => {
    scm.publishStatus = 202;
    scm.finalStatus = 3;
    await expect(provider.create!(inputs)).rejects.toThrow(/failed on the site: npm start failed.*Deployment Center/);
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
    [403, /Microsoft.Web\/sites\/publish\/Action/],
    [404, /finished provisioning/],
    [409, /another deployment is in progress/],
    [400, /rebuild it/],
  ])("explains HTTP %i without leaking the token", async (status, advice) => {
    scm.queued.push(status);
    const error = await provider.create!(inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeploymentError);
    expect((error as Error).message).toMatch(advice);
    expect((error as Error).message).not.toContain("scm-test-token");
  });

  it("derives the SCM host from the app's default host name", () => {
    expect(scmHostOf("push-func.azurewebsites.net")).toBe("push-func.scm.azurewebsites.net");
    expect(scmHostOf("push-func-a1b2c3.westeurope-01.azurewebsites.net")).toBe(
      "push-func-a1b2c3.scm.westeurope-01.azurewebsites.net",
    );
  });
});
