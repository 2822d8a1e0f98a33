import {
  createOneDeployProvider,
  explainDeploymentFailure,
  isDeploymentError,
  statusUrlOf,
} from "../../../components/pushSender/oneDeployProvider";

const APP = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/push-func";
const BASE = "https://push-func.scm.azurewebsites.net";

describe("what a failed SCM answer tells the user", () => {
  it.each([
    [
      401,
      "the deploying identity may not publish to this app: grant it Website Contributor (Microsoft.Web/sites/publish/Action) on the Function App",
    ],
    [
      403,
      "the deploying identity may not publish to this app: grant it Website Contributor (Microsoft.Web/sites/publish/Action) on the Function App",
    ],
    [404, "the app or its SCM site was not found: check that the Function App exists and finished provisioning"],
    [409, "another deployment is in progress: run `pulumi up` again when it has finished"],
    [413, "the package is too large for OneDeploy"],
    [400, "the package was rejected: rebuild it (a corrupt or empty zip?)"],
    [429, "the SCM site stayed throttled or unavailable after retries: run `pulumi up` again later"],
    [500, "the SCM site stayed throttled or unavailable after retries: run `pulumi up` again later"],
    [503, "the SCM site stayed throttled or unavailable after retries: run `pulumi up` again later"],
    [418, "unexpected answer from the SCM site"],
    [499, "unexpected answer from the SCM site"],
  ])("HTTP %i", (status, hint) => {
    const error = explainDeploymentFailure(status, APP, "");
    expect(isDeploymentError(error)).toBe(true);
    expect(error.message).toBe(`Deploying the push sender to ${APP} failed (HTTP ${status}): ${hint}.`);
  });

  it("quotes what the site said, at most 300 characters", () => {
    const said = `${"x".repeat(300)}TAIL`;
    expect(explainDeploymentFailure(400, APP, said).message).toMatch(new RegExp(` The site said: x{300}$`));
    expect(explainDeploymentFailure(400, APP, "zip is empty").message).toMatch(
      /\(a corrupt or empty zip\?\)\. The site said: zip is empty$/,
    );
  });

  it("is told apart from other errors by its name", () => {
    expect(isDeploymentError(new Error("DeploymentError"))).toBe(false);
    expect(isDeploymentError({ name: "DeploymentError", message: "x" })).toBe(false);
  });
});

describe("which deployment an accepted upload is followed at", () => {
  const location = `${BASE}/api/deployments/from-location`;
  it("takes the id from the body, bare or as a JSON string, trimmed", () => {
    expect(statusUrlOf(BASE, "abc-123", location)).toBe(`${BASE}/api/deployments/abc-123`);
    expect(statusUrlOf(BASE, ' "abc.123" \n', location)).toBe(`${BASE}/api/deployments/abc.123`);
    expect(statusUrlOf(BASE, "a".repeat(128), undefined)).toBe(`${BASE}/api/deployments/${"a".repeat(128)}`);
  });

  it("falls back to Location when the body names no usable id", () => {
    for (const body of [
      undefined,
      "",
      '"unterminated',
      "a".repeat(129),
      "has space",
      "x/../../y",
      "latest",
      '"latest"',
      "id\n2",
    ]) {
      expect(statusUrlOf(BASE, body, location)).toBe(location);
    }
  });

  it("never follows deployments/latest, which may be the previous deployment", () => {
    for (const latest of [`${BASE}/api/deployments/latest`, `${BASE}/api/deployments/LATEST/`]) {
      expect(() => statusUrlOf(BASE, "", latest)).toThrow(/named no deployment to follow/);
    }
    expect(statusUrlOf(BASE, "", `${BASE}/api/deployments/latest-1`)).toBe(`${BASE}/api/deployments/latest-1`);
  });
});

describe("what a change to the deployment means", () => {
  const provider = createOneDeployProvider();
  const olds = { functionAppId: APP, scmHost: "a.scm", packagePath: "/p.zip", packageSha256: "1", deployedAt: "t" };
  it("replaces only for another app (ids compared without case), redeploys for a new package or SCM host", async () => {
    expect(await provider.diff!("id", olds, { ...olds, functionAppId: APP.toUpperCase() })).toEqual({
      changes: false,
      replaces: [],
    });
    expect(await provider.diff!("id", olds, { ...olds, scmHost: "b.scm" })).toEqual({ changes: true, replaces: [] });
    expect(await provider.diff!("id", { ...olds, functionAppId: undefined as never }, olds)).toEqual({
      changes: true,
      replaces: ["functionAppId"],
    });
  });
});
