import { NotificationHubsClient, NotificationHubsClientOptions } from "@azure/notification-hubs";
import type { HubClient } from "./pushSender";

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

/** The one Notification Hubs client of a process. */
export function createHubClient(connectionString: string, hubName: string, options?: NotificationHubsClientOptions): HubClient {
  const client = new NotificationHubsClient(connectionString, hubName, options);
  reuseSasTokens(client);
  return client as unknown as HubClient;
}
