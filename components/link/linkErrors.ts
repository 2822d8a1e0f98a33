import { redactSecrets } from "../../azure/hubConnectionString";

/**
 * The ways the ACS → hub link fails, named after the troubleshooting guide's cases, so an
 * error in `pulumi up` says which case it is and how to fix it instead of dumping ARM's text.
 */
export type LinkFailureCase =
  | "wrong-subscription"
  | "hub-not-found"
  | "acs-not-found"
  | "missing-send-right"
  | "invalid-link-input"
  | "not-authorized"
  | "azure-unavailable"
  | "unexpected";

/**
 * A link failure: a plain Error named "LinkError" carrying its case. Not a subclass: the engine
 * runs the provider from its closure-serialized text, where a class extending Error becomes a
 * function calling `Error.call(this, …)`, which never sets the message ("Unknown Error").
 */
export type LinkError = Error & { readonly name: "LinkError"; readonly failureCase: LinkFailureCase };

export function linkError(failureCase: LinkFailureCase, message: string): LinkError {
  return Object.assign(new Error(message), { name: "LinkError" as const, failureCase });
}

export function isLinkError(error: unknown): error is LinkError {
  return (
    error instanceof Error && error.name === "LinkError" && typeof (error as { failureCase?: unknown }).failureCase === "string"
  );
}

/** The parts of an Azure SDK RestError or an @azure/identity error that matter here. */
interface AzureErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
  details?: { error?: { code?: string; message?: string } };
}

export interface LinkErrorContext {
  readonly communicationServiceId: string;
  readonly notificationHubId: string;
  /** Values that must never appear in the message (the connection string). */
  readonly secrets: readonly string[];
}

const CREDENTIAL_ERRORS = [
  "CredentialUnavailableError",
  "AuthenticationError",
  "AuthenticationRequiredError",
  "AggregateAuthenticationError",
];

function classify(status: number | undefined, code: string, text: string, name: string): LinkFailureCase {
  if (CREDENTIAL_ERRORS.includes(name)) return "not-authorized";
  if (/^WrongSubscription$/i.test(code) || /same subscription/i.test(text)) return "wrong-subscription";
  if (
    status === 401 ||
    status === 403 ||
    /^(AuthorizationFailed|InvalidAuthenticationToken\w*|LinkedAuthorizationFailed|AuthenticationFailed)$/i.test(code)
  ) {
    return "not-authorized";
  }
  if (/\bsend\b/i.test(text) && /(right|claim|permission|access|authoriz)/i.test(text)) return "missing-send-right";
  if (status === 404 || /NotFound/i.test(code)) {
    return /communication ?service/i.test(text) && !/notification ?hub/i.test(text) ? "acs-not-found" : "hub-not-found";
  }
  if (/notification ?hub.*(not (be )?found|does not exist)/i.test(text)) return "hub-not-found";
  if (status === 400 || /Invalid|BadRequest|Validation/i.test(code)) return "invalid-link-input";
  if (status === 429 || (status !== undefined && status >= 500) || /ECONNRESET|ETIMEDOUT|ECONNREFUSED|ENOTFOUND/.test(code)) {
    return "azure-unavailable";
  }
  return "unexpected";
}

function advice(failure: LinkFailureCase, ctx: LinkErrorContext): string {
  switch (failure) {
    case "wrong-subscription":
      return (
        "The notification hub must be in the same subscription as the Communication Services resource " +
        `(troubleshooting: hub in another subscription). ACS: ${ctx.communicationServiceId}; hub: ${ctx.notificationHubId}. ` +
        "Create the hub in the ACS subscription."
      );
    case "hub-not-found":
      return (
        `The notification hub ${ctx.notificationHubId} was not found (troubleshooting: linked hub no longer exists). ` +
        "Check that the hub and its namespace exist and were not deleted outside Pulumi; `pulumi refresh` then `pulumi up` recreates them."
      );
    case "acs-not-found":
      return `The Communication Services resource ${ctx.communicationServiceId} was not found. Check that it exists; \`pulumi refresh\` then \`pulumi up\` recreates it.`;
    case "missing-send-right":
      return (
        "The connection string used for the link does not grant the Send right (troubleshooting: connection string lacks Send). " +
        "Link with the connection string of an access policy whose rights include Send (this project's dedicated Send-only rule)."
      );
    case "invalid-link-input":
      return (
        "ARM rejected the connection string or the hub resource id (troubleshooting: connection string or resourceId invalid). " +
        "The connection string must come from an access policy of this same hub, and the resource id must be the hub's full ARM id."
      );
    case "not-authorized":
      return (
        "Azure refused the credentials (authentication/authorization failure). Sign in (`az login`, or AZURE_CLIENT_ID/AZURE_TENANT_ID " +
        "with a secret or OIDC federated token) and make sure the identity may perform " +
        "Microsoft.Communication/communicationServices/linkNotificationHub/action on the ACS resource (e.g. Contributor)."
      );
    case "azure-unavailable":
      return "Azure Resource Manager stayed unavailable or throttled after retries. Nothing was changed; run `pulumi up` again later.";
    case "unexpected":
      return "Linking the notification hub failed for a reason this project does not recognise.";
  }
}

/** Turns any error from the link call into a LinkError whose message has no secret in it. */
export function explainLinkError(error: unknown, ctx: LinkErrorContext): LinkError {
  if (isLinkError(error)) return error;
  // No answer at all (timeout, refused, DNS) or the overall deadline: name the host, nothing was changed.
  const name = (error as { name?: string })?.name;
  if (name === "NetworkFailure" || name === "DeadlineExceeded") {
    return linkError(
      "azure-unavailable",
      `Azure Resource Manager could not be reached: ${(error as Error).message}. Nothing was changed; check the network or ACS_NOTIFICATIONS_ARM_ENDPOINT, then run \`pulumi up\` again.`,
    );
  }
  // Reading the Send rule's key, before the link: its own message names the rule and what is missing.
  if (name === "HubRuleKeysError") {
    const message = (error as Error).message;
    return linkError(/refused/.test(message) ? "not-authorized" : "unexpected", message);
  }
  const e = (typeof error === "object" && error !== null ? error : { message: String(error) }) as AzureErrorLike;
  const code = e.code ?? e.details?.error?.code ?? "";
  // Classify the redacted text: an echoed connection string ("SharedAccessKeyName=…send…") must not steer the diagnosis.
  const text = redactSecrets([e.message ?? "", e.details?.error?.message ?? ""].join(" "), ctx.secrets);
  const failure = classify(e.statusCode, code, text, e.name ?? "");
  const status = e.statusCode ? `HTTP ${e.statusCode}` : (e.name ?? "error");
  const azureSaid = text.trim().slice(0, 300);
  const detail = azureSaid ? ` Azure said (${status}${code ? ` ${code}` : ""}): ${azureSaid}` : "";
  return linkError(failure, `${advice(failure, ctx)}${detail}`);
}
