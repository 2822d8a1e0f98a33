import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Azure's own published material, copied unchanged under test/fixtures/azure (SOURCES.md names
 * the repository, path and commit of each). Tests take their Azure shapes from here; a test that
 * needs a variant derives it in code from the published one, so the difference is visible.
 */
const ROOT = path.join(__dirname, "..", "fixtures", "azure");

function readJson<T>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, relative), "utf8")) as T;
}

/** A deep copy, so a test's changes never leak into another test. */
function copy<T>(value: T): T {
  return structuredClone(value);
}

export interface PublishedEvent {
  id: string;
  eventType: string;
  subject: string;
  data: Record<string, unknown>;
  [key: string]: unknown;
}

const events = {
  chatMessageReceived: "events/chat_message_received.json",
  chatMessageReceivedCloudEvent: "events/chat_message_received.cloudevents.json",
  chatThreadCreatedWithUser: "events/chat_thread_created_with_user.json",
  chatParticipantAddedToThreadWithUser: "events/chat_participant_added_to_thread_with_user.json",
} as const;

/** An ACS event exactly as Azure's published example shows it. */
export function publishedEvent(name: keyof typeof events): PublishedEvent {
  return copy(readJson<PublishedEvent>(events[name]));
}

/** An ARM example (azure-rest-api-specs x-ms-examples format): its parameters and responses by status. */
export interface ArmExample {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}

export function armExample(relative: string): ArmExample {
  return copy(readJson<ArmExample>(path.join("arm", relative)));
}

/** A Key Vault data-plane example (azure-rest-api-specs, keyvault/data-plane), in the same form as an ARM one. */
export function keyVaultExample(relative: string): ArmExample {
  return copy(readJson<ArmExample>(path.join("keyvault", relative)));
}

/** A Notification Hubs NotificationOutcome body, as the Azure SDK for JS's serializer tests hold it. */
export function publishedNotificationOutcome(name: "notification-outcome" | "notification-outcome-empty"): string {
  return fs.readFileSync(path.join(ROOT, "notificationhubs", `${name}.xml`), "utf8");
}

/** Read once: the fake hub answers every outcome read from it. */
let publishedDetails: string | undefined;

/**
 * A Standard hub's per-message telemetry (`GET /<hub>/messages/<id>`), as the Azure SDK for JS's
 * serializer test holds it (a WNS sample). The platform's counts element is renamed for APNs or FCM v1
 * (the names the SDK's parser and its later APNs and FCM v1 samples use); `outcomes` replaces the
 * published counts (Success 3, WrongToken 1), `state` its Completed, and the id is the one asked for.
 */
export function publishedNotificationDetails(
  platform: "apns" | "fcmv1",
  notificationId: string,
  change: { outcomes?: Record<string, number>; state?: string } = {},
): string {
  const element = platform === "apns" ? "ApnsOutcomeCounts" : "FcmV1OutcomeCounts";
  let xml = (publishedDetails ??= fs.readFileSync(path.join(ROOT, "notificationhubs", "notification-details.xml"), "utf8"))
    .replaceAll("WnsOutcomeCounts", element)
    .replace(
      "<TargetPlatforms>windows</TargetPlatforms>",
      `<TargetPlatforms>${platform === "apns" ? "apple" : "fcm"}</TargetPlatforms>`,
    )
    .replace("<NotificationId>{Your message id}</NotificationId>", `<NotificationId>${notificationId}</NotificationId>`);
  if (change.state) xml = xml.replace("<State>Completed</State>", `<State>${change.state}</State>`);
  if (change.outcomes) {
    const outcomes = Object.entries(change.outcomes)
      .map(([name, count]) => `<Outcome><Name>${name}</Name><Count>${count}</Count></Outcome>`)
      .join("");
    xml = xml.replace(new RegExp(`(<${element}>)[\\s\\S]*(</${element}>)`), `$1${outcomes}$2`);
  }
  return xml;
}

/** The APNs device token and tags the Azure SDK for JS's installation test registers. */
export function publishedAppleInstallation(): { DUMMY_DEVICE: string; tags: string[] } {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "notificationhubs", "apple-installation.sdk-test.json"), "utf8"));
}
