import { ArmRestOptions, createArmRestClient } from "./armRestClient";
import { parseHubAuthorizationRuleId } from "./armResourceId";
import { parseHubConnectionString } from "./hubConnectionString";

/**
 * Reading a notification hub rule's connection string where it is needed — in the deploying
 * process's own providers (the ACS link, the Key Vault secret), with the deploying identity —
 * so that no hub key passes through the Pulumi program, its plan or its state, and the
 * read-only preview identity never needs (or holds) `listKeys`.
 */
export const NOTIFICATION_HUBS_API_VERSION = "2023-10-01-preview";

/** Errors survive the engine's closure serialization only as plain Errors (see oneDeployProvider). */
function keysError(message: string, status?: number): Error & { status?: number } {
  return Object.assign(new Error(message), { name: "HubRuleKeysError", status });
}

/** The answers that mean "this identity cannot see the key" rather than "the read failed". */
const NOT_VISIBLE = [401, 403, 404];

/**
 * The rule's primary connection string, from ARM's `listKeys` (a POST, authorized as
 * `Microsoft.NotificationHubs/namespaces/notificationHubs/authorizationRules/listKeys/action`).
 * Errors name the rule and the status, never the answer's body (it holds keys).
 */
export async function fetchRuleConnectionString(ruleId: string, options: ArmRestOptions = {}): Promise<string> {
  const namespace = parseHubAuthorizationRuleId(ruleId)?.namespaceName;
  if (!namespace) throw keysError(`${ruleId} is not the ARM id of a notification hub authorization rule.`);
  const arm = await createArmRestClient(options);
  const res = await arm.send({ method: "POST", path: `${ruleId}/listKeys?api-version=${NOTIFICATION_HUBS_API_VERSION}` });
  if (res.status === 403 || res.status === 401) {
    throw keysError(
      `Reading the keys of ${ruleId} was refused (HTTP ${res.status}): the deploying identity needs ` +
        "Microsoft.NotificationHubs/namespaces/notificationHubs/authorizationRules/listKeys/action there (Contributor has it).",
      res.status,
    );
  }
  if (res.status !== 200) throw keysError(`Reading the keys of ${ruleId} failed (HTTP ${res.status}).`, res.status);
  let connectionString: unknown;
  try {
    connectionString = (JSON.parse(res.bodyAsText ?? "") as { primaryConnectionString?: unknown }).primaryConnectionString;
  } catch {
    // Said below, without the body.
  }
  const parsed = typeof connectionString === "string" ? parseHubConnectionString(connectionString) : undefined;
  if (!parsed) throw keysError(`The keys of ${ruleId} came back without a readable primaryConnectionString (not shown).`);
  if (parsed.namespaceName.toLowerCase() !== namespace.toLowerCase()) {
    throw keysError(`The keys of ${ruleId} name the namespace '${parsed.namespaceName}', not '${namespace}'.`);
  }
  return connectionString as string;
}

/**
 * The connection string when this identity may read it, else undefined — for a diff, which
 * also runs under the preview identity: that one cannot see a rotated key (by design, it holds
 * no key), and the deploying identity's `pulumi up` does. A rule not there yet is not seen either.
 * Any other failure (a server error past the retries, no answer in time) is thrown: a diff that
 * swallowed it would hide a rotated key from the very `up` that should re-link it.
 */
export async function tryFetchRuleConnectionString(ruleId: string, options: ArmRestOptions = {}): Promise<string | undefined> {
  try {
    return await fetchRuleConnectionString(ruleId, options);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && NOT_VISIBLE.includes(status)) return undefined;
    throw error;
  }
}
