import type { NotificationHubsClientOptions } from "@azure/notification-hubs";
import { isNetworkFailure, networkFailure, REQUEST_TIMEOUT_MS, withRequestLimits } from "../../azure/requestLimits";
import { parseHubConnectionString } from "../../azure/hubConnectionString";

/** One registration's answer to a test send, with the device handle shortened (it identifies a device). */
export interface TestSendResult {
  readonly platform: string;
  readonly registrationId: string;
  readonly handle: string;
  readonly outcome: string;
}

export interface TestSendSummary {
  readonly tag: string;
  readonly platforms: string[];
  readonly success: number;
  readonly failure: number;
  readonly results: TestSendResult[];
}

/** The push sender's tag for an ACS user: the same scheme the function addresses. */
export { userTag as tagForUser } from "../../function/src/tags";

const shorten = (handle: string) => (handle.length > 12 ? `…${handle.slice(-8)}` : handle);

/**
 * Runs a hub call whose answer the SDK parses itself: a success it cannot parse (a proxy's page, a
 * cut answer) surfaces from the SDK as a TypeError about a missing field; said here as what it is.
 */
async function sendReadably<T>(call: () => Promise<T>, connectionString: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const answered = (error as { statusCode?: number }).statusCode !== undefined;
    if (answered || isNetworkFailure(error) || !(error instanceof TypeError || error instanceof SyntaxError)) throw error;
    const host =
      parseHubConnectionString(connectionString)
        ?.endpoint.replace(/^sb:\/\//i, "")
        .replace(/\/$/, "") ?? "the hub";
    throw networkFailure("unreadable", host, 0);
  }
}

/**
 * Sends a test notification (Notification Hubs' test send: delivered, and the per-registration
 * outcome returned) to a tag, on each platform, with the Send connection string.
 */
export async function testSend(
  connectionString: string,
  hubName: string,
  tag: string,
  platforms: ("apple" | "fcmv1")[],
  options?: NotificationHubsClientOptions,
  requestTimeoutMs = REQUEST_TIMEOUT_MS,
): Promise<TestSendSummary> {
  const { NotificationHubsClient, createAppleNotification, createFcmV1Notification } = await import("@azure/notification-hubs");
  const client = new NotificationHubsClient(connectionString, hubName, withRequestLimits({ ...options }, requestTimeoutMs));
  const results: TestSendResult[] = [];
  let success = 0;
  let failure = 0;
  for (const platform of platforms) {
    const notification =
      platform === "apple"
        ? createAppleNotification({ body: { aps: { alert: { title: "acs-notifications", body: "Test push from the doctor" } } } })
        : // Notification Hubs takes FCM v1 payloads in the `message` envelope, as the push sender sends them.
          createFcmV1Notification({
            body: JSON.stringify({
              message: { notification: { title: "acs-notifications", body: "Test push from the doctor" } },
            }),
          });
    const response = await sendReadably(
      () => client.sendNotification(notification, { tagExpression: tag, enableTestSend: true }),
      connectionString,
    );
    success += response.successCount ?? 0;
    failure += response.failureCount ?? 0;
    for (const r of response.results ?? []) {
      results.push({
        platform: r.applicationPlatform,
        registrationId: r.registrationId,
        handle: shorten(r.pnsHandle),
        outcome: r.outcome,
      });
    }
  }
  return { tag, platforms, success, failure, results };
}
