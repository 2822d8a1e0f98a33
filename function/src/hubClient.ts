import { NotificationHubsClient, NotificationHubsClientOptions } from "@azure/notification-hubs";
import type { HubClient } from "./pushSender";

/**
 * Every hub call the function makes (sends, installations, outcome reads) waits at most this long
 * for an answer per attempt, and makes at most 1 + HUB_RETRY_OPTIONS.maxRetries attempts: a hub that
 * accepts the connection and stays silent fails the invocation in well under a minute (Event Grid
 * then delivers again), instead of holding it until the host's function timeout.
 */
export const HUB_REQUEST_TIMEOUT_MS = 10_000;
export const HUB_RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 400, maxRetryDelayInMs: 3_000 } as const;

/** The one set of client options for the function's hub clients: a per-attempt timeout and bounded retries. */
export function hubClientOptions(
  options: NotificationHubsClientOptions = {},
  timeoutMs: number = HUB_REQUEST_TIMEOUT_MS,
): NotificationHubsClientOptions {
  return {
    retryOptions: HUB_RETRY_OPTIONS,
    ...options,
    additionalPolicies: [
      {
        // Per retry: each attempt gets its own time limit.
        position: "perRetry",
        policy: {
          name: "acsPushHubRequestTimeout",
          sendRequest: (request, next) => {
            if (!request.timeout) request.timeout = timeoutMs;
            return next(request);
          },
        },
      },
      ...(options.additionalPolicies ?? []),
    ],
  };
}

interface SasToken {
  token: string;
  expiresOnTimestamp: number;
}
interface SasCredential {
  getToken(audience: string): Promise<SasToken | null>;
}

/**
 * The client signs a new SAS token for every request with WebCrypto (import the key, HMAC), which
 * is most of its CPU per push. A token is valid for an hour, so one is kept and reused until five
 * minutes before it expires. If a future client version changes its internals, this does nothing.
 */
export function reuseSasTokens(client: NotificationHubsClient): boolean {
  const context = (client as unknown as { _client?: { sasTokenCredential?: SasCredential } })._client;
  const credential = context?.sasTokenCredential;
  if (!context || typeof credential?.getToken !== "function") return false;
  const cache = new Map<string, SasToken>();
  context.sasTokenCredential = {
    async getToken(audience: string) {
      const cached = cache.get(audience);
      // expiresOnTimestamp is in seconds for SAS tokens.
      if (cached && cached.expiresOnTimestamp * 1000 - Date.now() > 5 * 60_000) return cached;
      const fresh = await credential.getToken(audience);
      if (fresh) cache.set(audience, fresh);
      return fresh;
    },
  };
  return true;
}

/** The one Notification Hubs client of a process for one hub (send and outcome reads), with time limits. */
export function createHubClient(
  connectionString: string,
  hubName: string,
  options?: NotificationHubsClientOptions,
  timeoutMs?: number,
): HubClient {
  const client = new NotificationHubsClient(connectionString, hubName, hubClientOptions(options, timeoutMs));
  reuseSasTokens(client);
  return client as unknown as HubClient;
}
