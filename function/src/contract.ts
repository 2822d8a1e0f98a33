/** Names the deployment and the function code must agree on. */

/** The Event Grid-triggered function; the Event Grid subscription's destination names it. */
export const PUSH_FUNCTION_NAME = "sendPush";

/** The HTTP-triggered registration function and its route (under the host's /api prefix). */
export const REGISTRATION_FUNCTION_NAME = "installations";
export const REGISTRATION_ROUTE = "installations/{installationId}";
