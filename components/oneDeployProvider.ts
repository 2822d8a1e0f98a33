import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { TokenCredential } from "@azure/identity";
import type { PipelineOptions } from "@azure/core-rest-pipeline";
import { armEndpoint } from "./armEndpoint";

/**
 * OneDeploy (`POST https://<app>.scm…/api/publish`) as a resource: the way code reaches a Flex
 * Consumption Function App (zipdeploy and WEBSITE_RUN_FROM_PACKAGE do not work there).
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
}

export class DeploymentError extends Error {}

// Kudu deployment status codes.
const STATUS_FAILED = 3;
const STATUS_SUCCESS = 4;

function explain(status: number, app: string, detail: string): DeploymentError {
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
  return new DeploymentError(
    `Deploying the push sender to ${app} failed (HTTP ${status}): ${hint}.${detail ? ` The site said: ${detail.slice(0, 300)}` : ""}`,
  );
}

async function pipelineFor(options: OneDeployOptions) {
  const rest = await import("@azure/core-rest-pipeline");
  let credential: TokenCredential;
  if (options.credential) credential = options.credential();
  else {
    const { DefaultAzureCredential } = await import("@azure/identity");
    credential = new DefaultAzureCredential();
  }
  const pipeline = rest.createPipelineFromOptions({
    // 429 (with Retry-After) and 5xx are retried with exponential backoff by the pipeline.
    retryOptions: { maxRetries: 5, retryDelayInMs: 2_000, maxRetryDelayInMs: 60_000 },
    ...options.pipelineOptions,
  });
  // Kudu accepts ARM tokens for the app's own cloud.
  pipeline.addPolicy(rest.bearerTokenAuthenticationPolicy({ credential, scopes: `${armEndpoint()}/.default` }));
  const client = rest.createDefaultHttpClient();
  return {
    send: (init: { url: string; method: "GET" | "POST"; body?: Buffer; headers?: Record<string, string> }) =>
      pipeline.sendRequest(client, rest.createPipelineRequest({ ...init, headers: rest.createHttpHeaders(init.headers) })),
  };
}

function baseUrl(inputs: CodeDeploymentInputs): string {
  return process.env[SCM_ENDPOINT_ENV]?.replace(/\/$/, "") || `https://${inputs.scmHost}`;
}

async function deploy(options: OneDeployOptions, inputs: CodeDeploymentInputs): Promise<CodeDeploymentOutputs> {
  const zip = readFileSync(inputs.packagePath);
  const actual = createHash("sha256").update(zip).digest("hex");
  if (actual !== inputs.packageSha256) {
    throw new DeploymentError(
      `The package ${inputs.packagePath} changed after the plan was made (hash ${actual.slice(0, 12)}…, expected ${inputs.packageSha256.slice(0, 12)}…): run \`pulumi up\` again.`,
    );
  }
  const http = await pipelineFor(options);
  const base = baseUrl(inputs);
  const res = await http.send({
    url: `${base}/api/publish?type=zip&RemoteBuild=false`,
    method: "POST",
    body: zip,
    headers: { "content-type": "application/zip" },
  });
  if (res.status !== 200 && res.status !== 202) throw explain(res.status, inputs.functionAppId, res.bodyAsText ?? "");
  if (res.status === 202)
    await waitForDeployment(options, http, res.headers.get("location") ?? `${base}/api/deployments/latest`, inputs.functionAppId);
  return { ...inputs, deployedAt: new Date().toISOString() };
}

async function waitForDeployment(
  options: OneDeployOptions,
  http: Awaited<ReturnType<typeof pipelineFor>>,
  statusUrl: string,
  app: string,
): Promise<void> {
  const interval = options.pollIntervalMs ?? 2_000;
  const deadline = Date.now() + (options.pollTimeoutMs ?? 10 * 60_000);
  while (Date.now() < deadline) {
    const res = await http.send({ url: statusUrl, method: "GET" });
    if (res.status >= 400 && res.status !== 404) throw explain(res.status, app, res.bodyAsText ?? "");
    if (res.status === 200) {
      const body = JSON.parse(res.bodyAsText ?? "{}") as { status?: number; status_text?: string };
      if (body.status === STATUS_SUCCESS) return;
      if (body.status === STATUS_FAILED) {
        throw new DeploymentError(
          `Deploying the push sender to ${app} failed on the site: ${body.status_text ?? "no detail"}. See the deployment log in the Function App's Deployment Center.`,
        );
      }
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new DeploymentError(
    `Deploying the push sender to ${app} did not finish in time; check the Function App's Deployment Center, then run \`pulumi up\` again.`,
  );
}

export function createOneDeployProvider(options: OneDeployOptions = {}): pulumi.dynamic.ResourceProvider {
  return {
    async diff(_id: string, olds: CodeDeploymentOutputs, news: CodeDeploymentInputs) {
      const replaces = olds.functionAppId?.toLowerCase() === news.functionAppId?.toLowerCase() ? [] : ["functionAppId"];
      const changed = olds.packageSha256 !== news.packageSha256 || olds.scmHost !== news.scmHost;
      return { changes: replaces.length > 0 || changed, replaces };
    },
    async create(inputs: CodeDeploymentInputs) {
      const outs = await deploy(options, inputs);
      return { id: `${inputs.functionAppId}/deployments/onedeploy`, outs };
    },
    async update(_id: string, _olds: CodeDeploymentOutputs, news: CodeDeploymentInputs) {
      return { outs: await deploy(options, news) };
    },
    // Deleting the record deploys nothing: the code goes away with the Function App.
    async delete() {},
  };
}
