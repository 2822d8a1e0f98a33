/** Names the deployment and the function code must agree on. */

/** The Event Grid-triggered function; the Event Grid subscription's destination names it. */
export const PUSH_FUNCTION_NAME = "sendPush";
