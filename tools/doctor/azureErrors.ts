import { isNetworkFailure } from "../../azure/requestLimits";
import type { CheckStatus } from "./catalogue";

/** Turns an Azure SDK error into a sentence; never the raw response. */
export function explainAzureError(error: unknown, reading: string): string {
  if (isNetworkFailure(error)) return `could not read ${reading}: ${error.message}`;
  if ((error as { name?: string })?.name === "DeadlineExceeded") return `could not read ${reading}: ${(error as Error).message}`;
  const e = (error ?? {}) as { statusCode?: number; code?: string; name?: string };
  if (e.name === "CredentialUnavailableError" || e.name === "AuthenticationError" || e.name === "AggregateAuthenticationError") {
    return `could not sign in to Azure to read ${reading}: run \`az login\` or set AZURE_CLIENT_ID/AZURE_TENANT_ID with a secret or a federated token`;
  }
  switch (e.statusCode) {
    case 401:
    case 403:
      return `not allowed to read ${reading} (HTTP ${e.statusCode}${e.code ? ` ${e.code}` : ""}): the identity needs Reader on it (and listKeys rights for keys)`;
    case 404:
      return `${reading} does not exist (HTTP 404)`;
    case 429:
      return `Azure throttled the request for ${reading} (HTTP 429); try again in a minute`;
    default:
      return `reading ${reading} failed${e.statusCode ? ` with HTTP ${e.statusCode}` : ""}${e.code ? ` (${e.code})` : ""}`;
  }
}

/** A host that did not answer fails every check that needed it, the same way; other read errors keep their check's level. */
export const readFailureStatus = (error: unknown): CheckStatus => (isNetworkFailure(error) ? "fail" : "warn");

export const isNotFound = (error: unknown) => (error as { statusCode?: number })?.statusCode === 404;
