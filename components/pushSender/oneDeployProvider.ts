import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { TokenCredential } from "@azure/identity";
import type { PipelineOptions } from "@azure/core-rest-pipeline";
import { armEndpoint } from "../../azure/armEndpoint";
import { REQUEST_TIMEOUT_MS, requestLimitsPolicy, withDeadline } from "../../azure/requestLimits";
import { createAuthenticatedPipeline, resolveCredential } from "../../azure/authenticatedPipeline";

/**
 * OneDeploy (`POST https://<app>.scm…/api/publish`) as a resource: the way code reaches a Flex
 * Consumption Function App (zipdeploy and WEBSITE_RUN_FROM_PACKAGE do not work there).
 *
 * Matched against Azure's own deployment code, Azure/functions-action
 * `src/appservice-rest/Kudu/azure-app-kudu-service.ts` (`oneDeployFlex`,
 * `_getDeploymentDetailsFromDeploymentID`, `KUDU_DEPLOYMENT_CONSTANTS`): a 202 answers with the
 * deployment's id in its body, which is polled at `/api/deployments/{id}` until one of the
 * terminal states; the bearer token is an ARM token for the cloud's classic management audience,
 * as `az account get-access-token` (which that action and the Azure CLI use) issues it.
 */
export interface CodeDeploymentInputs {
  /** ARM id of the Function App, for messages. */
  readonly functionAppId: string;
  /** The app's SCM (Kudu) host name, e.g. myapp.scm.azurewebsites.net. */
  readonly scmHost: string;
  readonly packagePath: string;
  /** SHA-256 of the zip; the only thing that triggers a new deployment. */
  readonly packageSha256: string;
}

export interface CodeDeploymentOutputs extends CodeDeploymentInputs {
  readonly deployedAt: string;
}

/** Replaces `https://<scmHost>` for tests and proxies. */
export const SCM_ENDPOINT_ENV = "ACS_NOTIFICATIONS_SCM_ENDPOINT";

export interface OneDeployOptions {
  /** Default: DefaultAzureCredential. */
  readonly credential?: () => TokenCredential;
  /** TLS trust and retry timings for tests. */
  readonly pipelineOptions?: PipelineOptions;
  /** How often and how long to poll an accepted deployment. */
  readonly pollIntervalMs?: number;
  readonly pollTimeoutMs?: number;
  /**
   * Waits before retrying a publish answered 403. A role granted moments ago (the deploying
   * identity's, or the app's on its deployment storage) can take minutes to take effect.
   */
  readonly forbiddenRetryDelaysMs?: readonly number[];
  /** Per-request timeouts: the upload, and each status poll. */
  readonly uploadTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Overall limit of one deployment. Default: 20 minutes. */
  readonly deadlineMs?: number;
}

/**
 * Errors are plain Errors with a name: the engine runs a dynamic provider from its closure-
 * serialized text, where a class extending Error loses its message.
 */
export const DEPLOYMENT_ERROR = "DeploymentError";
export function deploymentError(message: string): Error {
  return Object.assign(new Error(message), { name: DEPLOYMENT_ERROR });
}
export function isDeploymentError(error: unknown): error is Error {
  return error instanceof Error && error.name === DEPLOYMENT_ERROR;
}

/** Kudu's deployment states (functions-action's KUDU_DEPLOYMENT_CONSTANTS); anything else is still running. */
export const KUDU_STATUS = { cancelled: -1, failed: 3, success: 4, conflict: 5, partialSuccess: 6 } as const;

const TERMINAL_FAILURES: Record<number, string> = {
  [KUDU_STATUS.cancelled]: "was cancelled on the site",
  [KUDU_STATUS.failed]: "failed on the site",
  [KUDU_STATUS.conflict]: "was stopped by a conflicting deployment on the site",
  // Kudu's partial success means a post-deployment step (such as syncing triggers) failed: the
  // function may not be indexed, and the Event Grid subscription would then be rejected.
  [KUDU_STATUS.partialSuccess]: "only partly succeeded on the site (a post-deployment step such as syncing triggers failed)",
};

/** What a failed SCM answer means, and what to do; the site's own words trimmed to 300 characters. */
export function explainDeploymentFailure(status: number, app: string, detail: string): Error {
  const hint =
    status === 401 || status === 403
      ? "the deploying identity may not publish to this app: grant it Website Contributor (Microsoft.Web/sites/publish/Action) on the Function App"
      : status === 404
        ? "the app or its SCM site was not found: check that the Function App exists and finished provisioning"
        : status === 409
          ? "another deployment is in progress: run `pulumi up` again when it has finished"
          : status === 413
            ? "the package is too large for OneDeploy"
            : status === 400
              ? "the package was rejected: rebuild it (a corrupt or empty zip?)"
              : status === 429 || status >= 500
                ? "the SCM site stayed throttled or unavailable after retries: run `pulumi up` again later"
                : "unexpected answer from the SCM site";
  return deploymentError(
    `Deploying the push sender to ${app} failed (HTTP ${status}): ${hint}.${detail ? ` The site said: ${detail.slice(0, 300)}` : ""}`,
  );
}

async function pipelineFor(options: OneDeployOptions) {
  return createAuthenticatedPipeline({
    credential: await resolveCredential(options.credential),
    scope: scmTokenScope(),
    limits: requestLimitsPolicy(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS),
    pipelineOptions: options.pipelineOptions,
  });
}

// ARM's classic audience per cloud, which Kudu accepts (the one `az account get-access-token` issues).
const CLASSIC_MANAGEMENT_AUDIENCE: Record<string, string> = {
  "https://management.azure.com": "https://management.core.windows.net/",
  "https://management.chinacloudapi.cn": "https://management.core.chinacloudapi.cn/",
  "https://management.usgovcloudapi.net": "https://management.core.usgovcloudapi.net/",
};

/** The token scope for the SCM site of the cloud the ARM endpoint belongs to. */
export function scmTokenScope(env: NodeJS.ProcessEnv = process.env): string {
  const arm = armEndpoint(env);
  return `${CLASSIC_MANAGEMENT_AUDIENCE[arm] ?? `${arm}/`}.default`;
}

function baseUrl(inputs: CodeDeploymentInputs): string {
  return process.env[SCM_ENDPOINT_ENV]?.replace(/\/$/, "") || `https://${inputs.scmHost}`;
}

type Http = Awaited<ReturnType<typeof pipelineFor>>;

async function deploy(options: OneDeployOptions, inputs: CodeDeploymentInputs): Promise<CodeDeploymentOutputs> {
  const zip = readFileSync(inputs.packagePath);
  const actual = createHash("sha256").update(zip).digest("hex");
  if (actual !== inputs.packageSha256) {
    throw deploymentError(
      `The package ${inputs.packagePath} changed after the plan was made (hash ${actual.slice(0, 12)}…, expected ${inputs.packageSha256.slice(0, 12)}…): run \`pulumi up\` again.`,
    );
  }
  const http = await pipelineFor(options);
  const base = baseUrl(inputs);
  const delays = options.forbiddenRetryDelaysMs ?? [15_000, 30_000, 60_000, 60_000, 60_000];
  for (let attempt = 0; ; attempt++) {
    const res = await http.send({
      url: `${base}/api/publish?type=zip&RemoteBuild=false`,
      method: "POST",
      body: zip,
      headers: { "content-type": "application/zip" },
      timeout: options.uploadTimeoutMs ?? 5 * 60_000,
    });
    if (res.status === 403 && attempt < delays.length) {
      await sleep(delays[attempt]);
      continue;
    }
    if (res.status === 403) {
      throw deploymentError(
        `Deploying the push sender to ${inputs.functionAppId} was still refused (HTTP 403) after ${delays.length} retries over ${Math.round(delays.reduce((a, b) => a + b, 0) / 1000)} s. ` +
          "A role granted moments ago can take minutes to apply; otherwise grant the deploying identity Website Contributor (Microsoft.Web/sites/publish/Action) on the Function App, then run `pulumi up` again.",
      );
    }
    if (res.status !== 200 && res.status !== 202)
      throw explainDeploymentFailure(res.status, inputs.functionAppId, res.bodyAsText ?? "");
    if (res.status === 202)
      await waitForDeployment(
        options,
        http,
        statusUrlOf(base, res.bodyAsText ?? undefined, res.headers.get("location") ?? undefined),
        inputs,
      );
    return { ...inputs, deployedAt: new Date().toISOString() };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Where the accepted deployment can be followed: its id (the 202's body, bare or as a JSON
 * string), else the Location header. Never `deployments/latest`, which can be the previous one.
 */
export function statusUrlOf(base: string, body: string | undefined, location: string | undefined): string {
  let id = (body ?? "").trim();
  if (id.startsWith('"')) {
    try {
      id = String(JSON.parse(id));
    } catch {
      id = "";
    }
  }
  if (/^[A-Za-z0-9._-]{1,128}$/.test(id) && id !== "latest") return `${base}/api/deployments/${encodeURIComponent(id)}`;
  if (location && !/\/deployments\/latest\/?$/i.test(location)) return location;
  throw deploymentError(
    "The SCM site accepted the deployment (HTTP 202) but named no deployment to follow; check the Function App's Deployment Center, then run `pulumi up` again.",
  );
}

async function waitForDeployment(
  options: OneDeployOptions,
  http: Http,
  statusUrl: string,
  inputs: CodeDeploymentInputs,
): Promise<void> {
  const app = inputs.functionAppId;
  const interval = options.pollIntervalMs ?? 2_000;
  const deadline = Date.now() + (options.pollTimeoutMs ?? 10 * 60_000);
  while (Date.now() < deadline) {
    const res = await http.send({ url: statusUrl, method: "GET", timeout: options.requestTimeoutMs ?? 30_000 });
    // 404 right after a 202: the record is not written yet.
    if (res.status >= 400 && res.status !== 404) throw explainDeploymentFailure(res.status, app, res.bodyAsText ?? "");
    if (res.status === 200 || res.status === 202) {
      let body: { status?: number; status_text?: string; id?: string };
      try {
        body = JSON.parse(res.bodyAsText ?? "{}") as typeof body;
      } catch {
        body = {};
      }
      if (body.status === KUDU_STATUS.success) return;
      const failure = body.status === undefined ? undefined : TERMINAL_FAILURES[body.status];
      if (failure) {
        throw deploymentError(
          `Deploying the push sender to ${app} ${failure}: ${body.status_text || "no detail"}. See the deployment log in the Function App's Deployment Center, then run \`pulumi up\` again.`,
        );
      }
    }
    await sleep(interval);
  }
  throw deploymentError(
    `Deploying the push sender to ${app} did not finish in time; check the Function App's Deployment Center, then run \`pulumi up\` again.`,
  );
}

/** The whole deployment (upload, role-propagation retries, polling) is bounded too. */
async function deployWithin(options: OneDeployOptions, inputs: CodeDeploymentInputs): Promise<CodeDeploymentOutputs> {
  try {
    return await withDeadline(deploy(options, inputs), options.deadlineMs ?? 20 * 60_000, "Deploying the push sender");
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "NetworkFailure" || name === "DeadlineExceeded")
      throw deploymentError(
        `Deploying the push sender to ${inputs.functionAppId} failed: ${(error as Error).message}. Run \`pulumi up\` again.`,
      );
    throw error;
  }
}

export function createOneDeployProvider(options: OneDeployOptions = {}): pulumi.dynamic.ResourceProvider {
  return {
    async diff(_id: string, olds: CodeDeploymentOutputs, news: CodeDeploymentInputs) {
      const replaces = olds.functionAppId?.toLowerCase() === news.functionAppId?.toLowerCase() ? [] : ["functionAppId"];
      const changed = olds.packageSha256 !== news.packageSha256 || olds.scmHost !== news.scmHost;
      return { changes: replaces.length > 0 || changed, replaces };
    },
    async create(inputs: CodeDeploymentInputs) {
      const outs = await deployWithin(options, inputs);
      return { id: `${inputs.functionAppId}/deployments/onedeploy`, outs };
    },
    async update(_id: string, _olds: CodeDeploymentOutputs, news: CodeDeploymentInputs) {
      return { outs: await deployWithin(options, news) };
    },
    // Deleting the record deploys nothing: the code goes away with the Function App.
    async delete() {},
  };
}
