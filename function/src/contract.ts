/** Names the deployment and the function code must agree on. */

/** The Event Grid-triggered function; the Event Grid subscription's destination names it. */
export const PUSH_FUNCTION_NAME = "sendPush";

/**
 * The Node.js major versions the function runs on in Azure Functions, and the default: the one the
 * project ships on and its suite runs on (`.node-version`'s major, held equal by
 * test/nodeEngines.test.ts). Node.js 20 left support on 2026-04-30, in Node.js and in Azure Functions,
 * and nothing here tests on it.
 */
export const FUNCTION_NODE_VERSIONS = ["22"] as const;
export type FunctionNodeVersion = (typeof FUNCTION_NODE_VERSIONS)[number];
export const DEFAULT_FUNCTION_NODE_VERSION: FunctionNodeVersion = "22";

/** The HTTP-triggered registration function and its route (under the host's /api prefix). */
export const REGISTRATION_FUNCTION_NAME = "installations";
export const REGISTRATION_ROUTE = "installations/{installationId}";

/** App settings the function reads; the PushDelivery component sets them by these names. */
export const SETTINGS = {
  connectionString: "NOTIFICATION_HUB_CONNECTION_STRING",
  hubName: "NOTIFICATION_HUB_NAME",
  platforms: "PUSH_PLATFORMS",
  messagePreview: "PUSH_MESSAGE_PREVIEW",
  chatMessages: "PUSH_CHAT_MESSAGES",
  deadLetterUrl: "PUSH_DEAD_LETTER_CONTAINER_URL",
  /** The hub's tier: only Standard reports per-message PNS outcomes. */
  hubSku: "NOTIFICATION_HUB_SKU",
  /**
   * With several apps or partitions: the apps as JSON — `[{ name, platforms, hubSku, messagePreview,
   * partitions, growingFrom?, hubs: [hub name per partition] }]` — each hub's keys in the settings
   * {@link hubSettingName} names. Absent: the one hub of the settings above.
   */
  apps: "PUSH_APPS",
  registrationConnectionString: "NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING",
  registrationAllowedClients: "REGISTRATION_ALLOWED_CLIENT_IDS",
} as const;

/** The app setting holding one partition's Send (or Listen, for registration) connection string. */
export function hubSettingName(app: string, partition: number, purpose: "SEND" | "REGISTER"): string {
  return `PUSH_HUB_${app.toUpperCase()}_${partition}_${purpose}`;
}

/**
 * An app's name: a lowercase letter, then up to 11 letters or digits. Short, because it goes into
 * Azure names (`<namePrefix>-<app>-p<N>-ns` plus Pulumi's suffix) and app settings; the config
 * validator, the function and the doctor all check names with this.
 */
export const APP_NAME = /^[a-z][a-z0-9]{0,11}$/;

/** One app as the PUSH_APPS setting describes it. */
export interface AppSetting {
  readonly name: string;
  readonly platforms: readonly ("apple" | "fcmv1")[];
  readonly hubSku: "Free" | "Basic" | "Standard";
  readonly messagePreview: boolean;
  readonly growingFrom?: number;
  /** The hub's name per partition. */
  readonly hubs: readonly string[];
}
