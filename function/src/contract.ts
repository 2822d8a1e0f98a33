/** Names the deployment and the function code must agree on. */

/** The Event Grid-triggered function; the Event Grid subscription's destination names it. */
export const PUSH_FUNCTION_NAME = "sendPush";

/** The Node.js major versions the function is built and tested for on Azure Functions, and the default. */
export const FUNCTION_NODE_VERSIONS = ["20", "22"] as const;
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
  registrationConnectionString: "NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING",
  registrationAllowedClients: "REGISTRATION_ALLOWED_CLIENT_IDS",
} as const;
