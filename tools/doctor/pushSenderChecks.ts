import { PUSH_FUNCTION_NAME, SETTINGS } from "../../function/src/contract";
import type { DoctorClients } from "./azureClients";
import type { DoctorTarget } from "./checks";
import { CheckResult, CheckStatus, verdict } from "./catalogue";
import { isNetworkFailure, networkFailure } from "../../azure/requestLimits";

export const WEB_API_VERSION = "2024-04-01";

/**
 * App Service's resolution status of a Key Vault reference, with what to do. The status names
 * are the API's (KeyVaultReferenceStatus); details Azure adds are not printed.
 */
const REFERENCE_STATUS: Record<string, { status: CheckStatus; fix: string }> = {
  Resolved: { status: "pass", fix: "" },
  Initialized: { status: "warn", fix: "not resolved yet: the app resolves it at its next start" },
  AccessToKeyVaultDenied: {
    status: "fail",
    fix: "the app's identity may not read the secret: `pulumi up` grants Key Vault Secrets User; a new role can take minutes, then restart the app",
  },
  MSINotEnabled: { status: "fail", fix: "the app has no managed identity: `pulumi up` restores its system identity" },
  VaultNotFound: { status: "fail", fix: "the vault is gone: `pulumi refresh` then `pulumi up`" },
  SecretNotFound: { status: "fail", fix: "the secret is gone: `pulumi up` writes it again" },
  SecretVersionNotFound: {
    status: "fail",
    fix: "the referenced version is gone: `pulumi up` points the setting at the current one",
  },
  InvalidSyntax: { status: "fail", fix: "the setting is not a valid reference: `pulumi up` restores it" },
  FetchTimedOut: { status: "warn", fix: "Key Vault did not answer App Service in time: restart the app" },
  UnauthorizedClient: { status: "fail", fix: "the identity is not allowed on the vault: check its network rules and RBAC" },
  OtherReasons: { status: "fail", fix: "see the Function App's Environment variables blade for the reference's details" },
};

/**
 * The push sender's own health: the host indexed `sendPush` (an entry point that fails to load
 * registers nothing, and Event Grid then cannot deliver), the hub connection string's Key Vault
 * reference resolved (an unresolved one fails every invocation naming the setting), and how many
 * dead-letter records the window holds.
 */
export async function checkPushSender(
  clients: DoctorClients,
  target: DoctorTarget,
  now: Date,
  add: (r: CheckResult) => void,
): Promise<void> {
  if (target.functionAppId) {
    await checkFunctionRegistered(clients, target.functionAppId, add);
    await checkHubReference(clients, target.functionAppId, add);
  }
  if (target.deadLetterContainerUrl) await checkDeadLetters(clients, target, now, add);
}

/**
 * An ARM read: its status and its JSON body. A success whose body is not JSON (a proxy's page, a
 * truncated answer) is said as such, naming the host — never read as an empty list.
 */
async function getJson(clients: DoctorClients, path: string): Promise<{ status: number; body: unknown }> {
  const res = await clients.arm.send({ method: "GET", path });
  let body: unknown;
  try {
    body = res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined;
  } catch {
    if (res.status >= 200 && res.status < 300) {
      const url = (res as { request?: { url?: string } }).request?.url;
      throw networkFailure("unreadable", url ? new URL(url).host : "the ARM endpoint", 0);
    }
    body = undefined;
  }
  return { status: res.status, body };
}

const httpProblem = (status: number, reading: string) =>
  status === 401 || status === 403
    ? `not allowed to read ${reading} (HTTP ${status}): the identity needs Reader on the Function App`
    : status === 404
      ? `${reading} does not exist (HTTP 404)`
      : `reading ${reading} failed with HTTP ${status}`;

async function checkFunctionRegistered(clients: DoctorClients, appId: string, add: (r: CheckResult) => void): Promise<void> {
  const id = "function-registered";
  try {
    const { status, body } = await getJson(clients, `${appId}/functions?api-version=${WEB_API_VERSION}`);
    if (status !== 200) return add(verdict(id, "fail", httpProblem(status, "the app's functions")));
    const functions = ((body as { value?: unknown[] })?.value ?? []) as {
      name?: string;
      properties?: { name?: string; isDisabled?: boolean };
    }[];
    const names = functions.map((f) => f.properties?.name ?? f.name?.split("/").pop() ?? "?");
    const ours = functions.find((f) => (f.properties?.name ?? f.name?.split("/").pop()) === PUSH_FUNCTION_NAME);
    if (!ours) {
      return add(
        verdict(
          id,
          "fail",
          names.length === 0
            ? "the host indexed no function at all"
            : `the host indexed ${names.join(", ")}, not ${PUSH_FUNCTION_NAME}`,
          "the package did not deploy or its entry point failed to load: run `pulumi up` (redeploys it), then read the app's Deployment Center and host log",
        ),
      );
    }
    if (ours.properties?.isDisabled) {
      return add(
        verdict(id, "fail", `${PUSH_FUNCTION_NAME} is disabled`, "enable it: remove the AzureWebJobs.sendPush.Disabled setting"),
      );
    }
    add(verdict(id, "pass", `${PUSH_FUNCTION_NAME} is indexed and enabled`));
  } catch (error) {
    add(verdict(id, "fail", readError(error, "the app's functions")));
  }
}

async function checkHubReference(clients: DoctorClients, appId: string, add: (r: CheckResult) => void): Promise<void> {
  const id = "hub-secret-reference";
  try {
    const { status, body } = await getJson(
      clients,
      `${appId}/config/configreferences/appsettings/${SETTINGS.connectionString}?api-version=${WEB_API_VERSION}`,
    );
    if (status !== 200) return add(verdict(id, "fail", httpProblem(status, "the setting's Key Vault reference")));
    const props = (body as { properties?: { status?: string; secretName?: string; secretVersion?: string } })?.properties ?? {};
    const state = props.status ?? "unknown";
    const known = REFERENCE_STATUS[state] ?? {
      status: "warn" as const,
      fix: "an unfamiliar status: see the Function App's Environment variables blade",
    };
    const secret = props.secretName
      ? ` (secret ${props.secretName}${props.secretVersion ? `, version ${props.secretVersion.slice(0, 8)}…` : ""})`
      : "";
    add(
      verdict(
        id,
        known.status,
        `status ${state}${secret}${known.status === "pass" ? "" : `: every invocation fails naming ${SETTINGS.connectionString} until it resolves`}`,
        known.status === "pass" ? undefined : known.fix,
      ),
    );
  } catch (error) {
    add(verdict(id, "fail", readError(error, "the setting's Key Vault reference")));
  }
}

async function checkDeadLetters(
  clients: DoctorClients,
  target: DoctorTarget,
  now: Date,
  add: (r: CheckResult) => void,
): Promise<void> {
  const id = "dead-letters";
  const since = now.getTime() - target.sinceHours * 3_600_000;
  try {
    let count = 0;
    let fromSender = 0;
    let marker = "";
    // Bounded: at most 20 pages of 5,000 blobs.
    for (let page = 0; page < 20; page++) {
      const url = `${target.deadLetterContainerUrl!.replace(/\/$/, "")}?restype=container&comp=list&maxresults=5000${marker ? `&marker=${encodeURIComponent(marker)}` : ""}`;
      const res = await clients.storage.send({ method: "GET", url });
      if (res.status !== 200) {
        return add(
          verdict(
            id,
            "skip",
            `the dead-letter container could not be listed (HTTP ${res.status})`,
            res.status === 403 ? "the identity needs Storage Blob Data Reader on the account" : undefined,
          ),
        );
      }
      const xml = res.bodyAsText ?? "";
      for (const blob of xml.matchAll(/<Blob>([\s\S]*?)<\/Blob>/g)) {
        const modified = /<Last-Modified>([^<]+)<\/Last-Modified>/.exec(blob[1])?.[1];
        if (!modified || Date.parse(modified) < since) continue;
        count++;
        if (/<Name>push-sender\//.test(blob[1])) fromSender++;
      }
      marker = /<NextMarker>([^<]*)<\/NextMarker>/.exec(xml)?.[1] ?? "";
      if (!marker) break;
    }
    add(
      verdict(
        id,
        count > 0 ? "warn" : "pass",
        `last ${target.sinceHours}h: ${count} record(s), ${fromSender} from the push sender, ${count - fromSender} from Event Grid`,
        count > 0 ? "each record names the event id and why; the push sender's are under push-sender/<day>/" : undefined,
      ),
    );
  } catch (error) {
    add(verdict(id, isNetworkFailure(error) ? "fail" : "skip", readError(error, "the dead-letter container")));
  }
}

function readError(error: unknown, reading: string): string {
  if (isNetworkFailure(error) || (error as { name?: string })?.name === "DeadlineExceeded")
    return `could not read ${reading}: ${(error as Error).message}`;
  return `reading ${reading} failed`;
}
