/**
 * Which failures to retry. Throttling (429), server errors (5xx) and network failures are
 * transient: the invocation fails and Event Grid delivers again. A refused credential (401/403)
 * is retried too: after a key rotation the app may hold the old key until its Key Vault
 * reference is refreshed, and dead-lettering every push in that window would lose them all.
 * Other 4xx answers (bad payload, unknown hub) fail the same way every time and are not retried.
 */
export class TransientSendError extends Error {}
/** 401/403 from the hub: retried, and logged as a credential problem. */
export class CredentialRefusedError extends TransientSendError {}
export class PermanentSendError extends Error {}

/** Classifies an error from the Notification Hubs client; the message carries no secret or payload. */
export function classifySendError(
  error: unknown,
  platform: string,
): TransientSendError | CredentialRefusedError | PermanentSendError {
  const e = (error ?? {}) as { statusCode?: number; code?: string; name?: string };
  const status = e.statusCode;
  const what = `${platform} send failed${status ? ` with HTTP ${status}` : e.code ? ` (${e.code})` : ""}`;
  if (status === 401 || status === 403) return new CredentialRefusedError(what);
  if (status !== undefined && status >= 400 && status < 500 && status !== 429) return new PermanentSendError(what);
  // Throttling, server errors, and no answer at all (a network failure, an abort): Event Grid delivers again.
  return new TransientSendError(what);
}
