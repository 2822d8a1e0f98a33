import type { PipelinePolicy } from "@azure/core-rest-pipeline";

/**
 * Limits on every Azure call the project makes itself (the link, the code deployment, the vault
 * purge, the doctor, test sends): a request that gets no answer fails after a timeout, with a
 * message naming the host, instead of waiting as long as the server keeps the connection open.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

export type NetworkFailureKind = "no-answer" | "refused" | "unresolved" | "reset";

/** A request that never got an HTTP answer: a plain Error (it crosses closure serialization) with the host. */
export interface NetworkFailure extends Error {
  readonly name: "NetworkFailure";
  readonly kind: NetworkFailureKind;
  readonly host: string;
}

export function isNetworkFailure(error: unknown): error is NetworkFailure {
  return error instanceof Error && error.name === "NetworkFailure";
}

const SYSTEM_CODES: Record<string, NetworkFailureKind> = {
  ECONNREFUSED: "refused",
  ENOTFOUND: "unresolved",
  EAI_AGAIN: "unresolved",
  ECONNRESET: "reset",
  EPIPE: "reset",
  ETIMEDOUT: "no-answer",
  ESOCKETTIMEDOUT: "no-answer",
};

export function networkFailure(kind: NetworkFailureKind, host: string, timeoutMs: number): NetworkFailure {
  const seconds = timeoutMs < 10_000 ? (timeoutMs / 1000).toFixed(1) : String(Math.round(timeoutMs / 1000));
  const what: Record<NetworkFailureKind, string> = {
    "no-answer": `${host} did not answer within ${seconds} s`,
    refused: `${host} refused the connection`,
    unresolved: `${host} could not be resolved (DNS)`,
    reset: `${host} closed the connection`,
  };
  return Object.assign(new Error(what[kind]), { name: "NetworkFailure" as const, kind, host });
}

/**
 * Sets a timeout on requests that have none, and turns "no HTTP answer" into a NetworkFailure
 * naming the host. With `memory`, a host that did not answer fails at once for every later
 * request in the same run, so a tool reports one verdict for it instead of waiting again per check.
 */
export function requestLimitsPolicy(timeoutMs = REQUEST_TIMEOUT_MS, memory?: Map<string, NetworkFailure>): PipelinePolicy {
  return {
    name: "acsNotificationsRequestLimits",
    async sendRequest(request, next) {
      const host = new URL(request.url).host;
      const known = memory?.get(host);
      if (known) throw known;
      if (!request.timeout) request.timeout = timeoutMs;
      try {
        return await next(request);
      } catch (error) {
        const e = error as { name?: string; code?: string };
        const callerAborted = request.abortSignal?.aborted === true;
        const kind = e.name === "AbortError" && !callerAborted ? "no-answer" : SYSTEM_CODES[e.code ?? ""];
        if (!kind) throw error;
        const failure = networkFailure(kind, host, request.timeout || timeoutMs);
        memory?.set(host, failure);
        throw failure;
      }
    },
  };
}

/** Client options for an Azure SDK client: the limits policy, once per call. */
type AdditionalPolicy = { policy: PipelinePolicy; position: "perCall" | "perRetry" };

export function withRequestLimits<T extends object>(
  options: T,
  timeoutMs = REQUEST_TIMEOUT_MS,
  memory?: Map<string, NetworkFailure>,
): T & { additionalPolicies: AdditionalPolicy[] } {
  const existing = (options as { additionalPolicies?: AdditionalPolicy[] }).additionalPolicies ?? [];
  return {
    ...options,
    additionalPolicies: [...existing, { policy: requestLimitsPolicy(timeoutMs, memory), position: "perCall" }],
  };
}

/**
 * Runs work under an overall deadline: per-request timeouts bound each call, this bounds them
 * all (retries and polls included). Rejects with a message saying what did not finish.
 */
export async function withDeadline<T>(work: Promise<T>, deadlineMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`${what} did not finish within ${Math.round(deadlineMs / 1000)} s`), {
            name: "DeadlineExceeded",
          }),
        ),
      deadlineMs,
    );
    timer.unref?.();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
