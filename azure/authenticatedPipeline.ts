import type { TokenCredential } from "@azure/identity";
import type { PipelineOptions, PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { boundedHttpClient } from "./requestLimits";

/**
 * How a deployment retries Azure: 429 (honouring Retry-After) and 5xx with exponential backoff,
 * long enough to ride out a throttled ARM. Shared by the dynamic providers and the ARM REST client.
 */
export const DEPLOYMENT_RETRIES = { maxRetries: 5, retryDelayInMs: 2_000, maxRetryDelayInMs: 60_000 } as const;

/** How the doctor retries: someone is waiting at a terminal, so fewer and shorter waits. */
export const INTERACTIVE_RETRIES = { maxRetries: 3, retryDelayInMs: 1_000, maxRetryDelayInMs: 10_000 } as const;

/**
 * The credential a caller gave, or DefaultAzureCredential. @azure/identity is loaded on first use:
 * the plan and `pulumi preview` never pay for it. Loaded with `require`, not `await import()`, here
 * and wherever a dynamic provider loads a package: TypeScript compiles `import()` into a call of its
 * `__importStar` helper, which the Pulumi SDK then serializes — four more functions — into every
 * provider that captures the caller.
 */
export async function resolveCredential(given?: () => TokenCredential): Promise<TokenCredential> {
  if (given) return given();
  const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
  return new DefaultAzureCredential();
}

export interface AuthenticatedPipelineOptions {
  readonly credential: TokenCredential;
  /** The token's scope, e.g. `https://management.azure.com/.default`. */
  readonly scope: string;
  /** The request limits policy (timeout, silent hosts): one per client, or one a tool shares. */
  readonly limits: PipelinePolicy;
  /** Default: DEPLOYMENT_RETRIES. */
  readonly retryOptions?: PipelineOptions["retryOptions"];
  /** TLS trust and retry timings, for tests; they win over the defaults above. */
  readonly pipelineOptions?: PipelineOptions;
  /** Sent with every request (e.g. Storage's x-ms-version). */
  readonly headers?: Record<string, string>;
}

export interface PipelineRequestInit {
  readonly url: string;
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
  /** Per-request timeout; default: the limits policy's. */
  readonly timeout?: number;
}

/**
 * One HTTP pipeline for calls no SDK client models: a bearer token for `scope`, the SDK's retry
 * policy and the request limits. The ARM REST client, the OneDeploy provider and the doctor's
 * Storage reads all send through it.
 */
export async function createAuthenticatedPipeline(options: AuthenticatedPipelineOptions) {
  const rest = require("@azure/core-rest-pipeline") as typeof import("@azure/core-rest-pipeline");
  const pipeline = rest.createPipelineFromOptions({
    retryOptions: options.retryOptions ?? DEPLOYMENT_RETRIES,
    ...options.pipelineOptions,
  });
  pipeline.addPolicy(rest.bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope }));
  pipeline.addPolicy(options.limits);
  const client = boundedHttpClient(rest.createDefaultHttpClient());
  return {
    send(init: PipelineRequestInit): Promise<PipelineResponse> {
      return pipeline.sendRequest(
        client,
        rest.createPipelineRequest({
          url: init.url,
          method: init.method,
          body: init.body,
          timeout: init.timeout,
          headers: rest.createHttpHeaders({ ...options.headers, ...init.headers }),
        }),
      );
    },
  };
}
