import type { TokenCredential } from "@azure/identity";
import type { PipelineOptions, PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { armEndpoint } from "./armEndpoint";
import { REQUEST_TIMEOUT_MS, requestLimitsPolicy } from "./requestLimits";

export interface ArmRestOptions {
  /** Default: DefaultAzureCredential. */
  readonly credential?: () => TokenCredential;
  /** TLS trust and retry timings for tests. */
  readonly pipelineOptions?: PipelineOptions;
  /** Per-request limit. Default: REQUEST_TIMEOUT_MS. */
  readonly requestTimeoutMs?: number;
  /** The limits policy to use instead of a fresh one (a tool shares one across its clients). */
  readonly requestLimits?: PipelinePolicy;
}

export interface ArmRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** A path under the ARM endpoint with its api-version, or an absolute URL ARM handed back (Location). */
  readonly path: string;
  readonly body?: unknown;
}

/**
 * A small ARM REST client for calls no SDK package models (e.g. purging a deleted vault): ARM
 * bearer token for the configured cloud, 429/5xx retried with backoff by the pipeline, and a
 * per-request timeout, so a silent endpoint fails instead of hanging.
 */
export async function createArmRestClient(options: ArmRestOptions = {}) {
  const rest = await import("@azure/core-rest-pipeline");
  let credential: TokenCredential;
  if (options.credential) credential = options.credential();
  else {
    const { DefaultAzureCredential } = await import("@azure/identity");
    credential = new DefaultAzureCredential();
  }
  const endpoint = armEndpoint();
  const pipeline = rest.createPipelineFromOptions({
    retryOptions: { maxRetries: 5, retryDelayInMs: 2_000, maxRetryDelayInMs: 60_000 },
    ...options.pipelineOptions,
  });
  pipeline.addPolicy(rest.bearerTokenAuthenticationPolicy({ credential, scopes: `${endpoint}/.default` }));
  pipeline.addPolicy(options.requestLimits ?? requestLimitsPolicy(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS));
  const client = rest.createDefaultHttpClient();
  return {
    endpoint,
    send(request: ArmRequest): Promise<PipelineResponse> {
      const url = /^https:\/\//i.test(request.path) ? request.path : `${endpoint}${request.path}`;
      // A URL ARM handed back must stay on the ARM endpoint: the bearer token goes with it.
      if (new URL(url).origin !== new URL(endpoint).origin) {
        return Promise.reject(new Error(`refusing to send an ARM token to ${new URL(url).origin}, which is not ${endpoint}`));
      }
      return pipeline.sendRequest(
        client,
        rest.createPipelineRequest({
          url,
          method: request.method,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          headers: rest.createHttpHeaders(request.body === undefined ? {} : { "content-type": "application/json" }),
          timeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
        }),
      );
    },
  };
}
