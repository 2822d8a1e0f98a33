import type { TokenCredential } from "@azure/identity";
import type { PipelineOptions, PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { armEndpoint } from "./armEndpoint";
import { REQUEST_TIMEOUT_MS, requestLimitsPolicy } from "./requestLimits";
import { createAuthenticatedPipeline, resolveCredential } from "./authenticatedPipeline";

export interface ArmRestOptions {
  /** Default: DefaultAzureCredential. */
  readonly credential?: () => TokenCredential;
  /** Default: DEPLOYMENT_RETRIES. */
  readonly retryOptions?: PipelineOptions["retryOptions"];
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
  const endpoint = armEndpoint();
  const http = await createAuthenticatedPipeline({
    credential: await resolveCredential(options.credential),
    scope: `${endpoint}/.default`,
    limits: options.requestLimits ?? requestLimitsPolicy(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS),
    retryOptions: options.retryOptions,
    pipelineOptions: options.pipelineOptions,
  });
  return {
    endpoint,
    send(request: ArmRequest): Promise<PipelineResponse> {
      const url = /^https:\/\//i.test(request.path) ? request.path : `${endpoint}${request.path}`;
      // A URL ARM handed back must stay on the ARM endpoint: the bearer token goes with it.
      if (new URL(url).origin !== new URL(endpoint).origin) {
        return Promise.reject(new Error(`refusing to send an ARM token to ${new URL(url).origin}, which is not ${endpoint}`));
      }
      return http.send({
        url,
        method: request.method,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        headers: request.body === undefined ? {} : { "content-type": "application/json" },
      });
    },
  };
}
