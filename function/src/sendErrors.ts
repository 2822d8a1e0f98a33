/**
 * Which failures to retry. Throttling (429), server errors (5xx) and network failures are
 * transient: the invocation fails and Event Grid delivers again. Other 4xx answers (bad payload,
 * wrong credentials, unknown hub) fail the same way every time and are not retried.
 */
export class TransientSendError extends Error {}
export class PermanentSendError extends Error {}

const NETWORK_CODES = ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "EPIPE", "REQUEST_SEND_ERROR"];

/** Classifies an error from the Notification Hubs client; the message carries no secret or payload. */
export function classifySendError(error: unknown, platform: string): TransientSendError | PermanentSendError {
  const e = (error ?? {}) as { statusCode?: number; code?: string; name?: string };
  const status = e.statusCode;
  const what = `${platform} send failed${status ? ` with HTTP ${status}` : e.code ? ` (${e.code})` : ""}`;
  if (
    status === 429 ||
    (status !== undefined && status >= 500) ||
    (status === undefined && (NETWORK_CODES.includes(e.code ?? "") || e.name === "AbortError"))
  ) {
    return new TransientSendError(what);
  }
  if (status !== undefined && status >= 400) return new PermanentSendError(what);
  return new TransientSendError(what);
}
