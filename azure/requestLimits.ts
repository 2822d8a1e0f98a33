import type { HttpClient, PipelinePolicy } from "@azure/core-rest-pipeline";

/**
 * Limits on every Azure call the project makes itself (the link, the code deployment, the vault
 * purge, the doctor, test sends): a request that gets no answer fails after a timeout, with a
 * message naming the host, instead of waiting as long as the server keeps the connection open.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

export type NetworkFailureKind = "no-answer" | "refused" | "unresolved" | "reset" | "too-slow" | "too-large" | "unreadable";

/** The largest answer the project reads from Azure in one response: ARM, Monitor and Storage pages are kilobytes. */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

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
    "too-slow": `${host} did not finish its answer within ${seconds} s`,
    "too-large": `${host} sent an answer larger than ${Math.round(MAX_ANSWER_BYTES / (1024 * 1024))} MiB, more than any it should`,
    unreadable: `${host} answered with something that could not be read as its answer (not the JSON or XML it sends)`,
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

/** Every HTTP status, so that the client hands every answer's body over as a stream to read within limits. */
const everyStatus = (): Set<number> => new Set(Array.from({ length: 500 }, (_, i) => i + 100));

/**
 * The one way the project's own Azure calls read an answer: the whole body within the request's
 * time limit (not only its first byte — a server that sends a byte a second is cut off) and at
 * most `maxBytes`, else a NetworkFailure naming the host. Wraps the SDK's default HTTP client
 * (loaded on first use), so it serves SDK clients (`httpClient` option) and plain pipelines alike.
 */
export function boundedHttpClient(inner?: HttpClient, maxBytes = MAX_ANSWER_BYTES, timeoutMs = REQUEST_TIMEOUT_MS): HttpClient {
  let client = inner;
  // Per client, not per module: a Set captured by the engine's closure serialization loses its internals.
  const streamEveryStatus = everyStatus();
  return {
    async sendRequest(request) {
      client ??= (require("@azure/core-rest-pipeline") as typeof import("@azure/core-rest-pipeline")).createDefaultHttpClient();
      const host = new URL(request.url).host;
      const limitMs = request.timeout || timeoutMs;
      const deadline = Date.now() + limitMs;
      // A caller that streams on purpose reads the body itself.
      if (request.streamResponseStatusCodes?.size) return client.sendRequest(request);
      request.streamResponseStatusCodes = streamEveryStatus;
      let response;
      try {
        response = await client.sendRequest(request);
      } finally {
        // A retry sends the same request again: it is bounded again from its own start.
        request.streamResponseStatusCodes = undefined;
      }
      const body = response.readableStreamBody;
      if (!body) return response;
      response.readableStreamBody = undefined;
      response.bodyAsText = await readWithin(body, { host, deadline, limitMs, maxBytes });
      return response;
    },
  };
}

/** Reads a whole answer body, or fails naming the host: past the deadline, or past `maxBytes`. */
function readWithin(
  body: NodeJS.ReadableStream,
  limits: { host: string; deadline: number; limitMs: number; maxBytes: number },
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    // Declared before `stop` uses it: the engine's closure serialization needs it in scope.
    let timer: NodeJS.Timeout | undefined = undefined;
    const stop = (failure: Error | undefined, text?: string) => {
      clearTimeout(timer);
      body.removeAllListeners("data");
      if (failure) {
        (body as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        reject(failure);
      } else resolve(text ?? "");
    };
    timer = setTimeout(
      () => stop(networkFailure("too-slow", limits.host, limits.limitMs)),
      Math.max(0, limits.deadline - Date.now()),
    );
    body.on("data", (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      total += buffer.length;
      if (total > limits.maxBytes) return stop(networkFailure("too-large", limits.host, limits.limitMs));
      chunks.push(buffer);
    });
    body.once("end", () => stop(undefined, Buffer.concat(chunks, total).toString("utf8")));
    body.once("error", () => stop(networkFailure("reset", limits.host, limits.limitMs)));
  });
}

/** Client options for an Azure SDK client: the limits policy, once per call, and the bounded reader. */
type AdditionalPolicy = { policy: PipelinePolicy; position: "perCall" | "perRetry" };

export function withRequestLimits<T extends object>(
  options: T,
  timeoutMs = REQUEST_TIMEOUT_MS,
  memory?: Map<string, NetworkFailure>,
): T & { additionalPolicies: AdditionalPolicy[]; httpClient: HttpClient } {
  const existing = (options as { additionalPolicies?: AdditionalPolicy[] }).additionalPolicies ?? [];
  const given = (options as { httpClient?: HttpClient }).httpClient;
  return {
    ...options,
    httpClient: boundedHttpClient(given, MAX_ANSWER_BYTES, timeoutMs),
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
