import * as pulumi from "@pulumi/pulumi";
import type { TokenCredential } from "@azure/identity";
import type { CommunicationServiceManagementClientOptionalParams } from "@azure/arm-communication";
import { armEndpoint } from "../../azure/armEndpoint";
import {
  parseCommunicationServiceId,
  parseHubAuthorizationRuleId,
  parseNotificationHubId,
  sameResourceId,
} from "../../azure/armResourceId";
import { connectionStringFingerprint } from "../../azure/hubConnectionString";
import { fetchRuleConnectionString, tryFetchRuleConnectionString } from "../../azure/hubRuleKeys";
import { explainLinkError, LinkErrorContext } from "./linkErrors";
import { isKnownString } from "../providerInputs";
import { REQUEST_TIMEOUT_MS, withDeadline, withRequestLimits } from "../../azure/requestLimits";
import { DEPLOYMENT_RETRIES, resolveCredential } from "../../azure/authenticatedPipeline";

/**
 * What the program asks for: link this ACS resource to this hub with the connection string of
 * this rule of it. The provider reads that connection string itself, with the deploying identity,
 * when it links: no key passes through the program, its plan or its state.
 */
export interface LinkInputs {
  readonly communicationServiceId: string;
  readonly notificationHubId: string;
  /** ARM id of the hub's Send rule. */
  readonly authorizationRuleId: string;
}

/** What state records after a link, and what `refresh` reads back from ARM. */
export interface LinkOutputs extends LinkInputs {
  /** The hub ACS reports as linked (`notificationHubId` of the ACS resource); "" when none. */
  readonly linkedNotificationHubId: string;
  /** Non-secret fingerprint of the connection string that was linked. */
  readonly connectionStringFingerprint: string;
}

/** Seams for tests and special environments; production uses the defaults. */
/** How long one link or read may take in all, retries included. */
export const LINK_DEADLINE_MS = 5 * 60_000;

export interface LinkProviderOptions {
  /** Per-request timeout. Default: REQUEST_TIMEOUT_MS. */
  readonly requestTimeoutMs?: number;
  /** Overall limit of one operation. Default: LINK_DEADLINE_MS. */
  readonly deadlineMs?: number;
  /** Credential for ARM. Default: @azure/identity's DefaultAzureCredential. */
  readonly credential?: () => TokenCredential;
  /** Extra client options (TLS trust, retry timings). Default: none. */
  readonly clientOptions?: CommunicationServiceManagementClientOptionalParams;
}

/** The same seams, as the ARM REST client (reading the rule's keys) takes them. */
function keyReaderOptions(options: LinkProviderOptions) {
  return {
    credential: options.credential,
    requestTimeoutMs: options.requestTimeoutMs,
    retryOptions: options.clientOptions?.retryOptions,
    pipelineOptions: options.clientOptions,
  };
}

/** Pure input validation, shared by `check` and the tests. Each failure names the property. */
export function validateLinkInputs(inputs: Partial<Record<keyof LinkInputs, unknown>>): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const { communicationServiceId, notificationHubId, authorizationRuleId } = inputs;
  const acs = isKnownString(communicationServiceId) ? parseCommunicationServiceId(communicationServiceId) : undefined;
  const hub = isKnownString(notificationHubId) ? parseNotificationHubId(notificationHubId) : undefined;
  if (isKnownString(communicationServiceId) && !acs) {
    failures.push({
      property: "communicationServiceId",
      reason:
        "must be the ARM id of a Communication Services resource (/subscriptions/…/providers/Microsoft.Communication/communicationServices/NAME).",
    });
  }
  if (isKnownString(notificationHubId) && !hub) {
    failures.push({
      property: "notificationHubId",
      reason:
        "must be the ARM id of a notification hub (/subscriptions/…/providers/Microsoft.NotificationHubs/namespaces/NS/notificationHubs/HUB).",
    });
  }
  if (acs && hub && acs.subscriptionId.toLowerCase() !== hub.subscriptionId.toLowerCase()) {
    failures.push({
      property: "notificationHubId",
      reason: `must be in the same subscription as the Communication Services resource (${acs.subscriptionId}); the hub is in ${hub.subscriptionId}.`,
    });
  }
  if (isKnownString(authorizationRuleId)) {
    const rule = parseHubAuthorizationRuleId(authorizationRuleId);
    if (!rule) {
      failures.push({
        property: "authorizationRuleId",
        reason: "must be the ARM id of a notification hub authorization rule (…/notificationHubs/HUB/authorizationRules/RULE).",
      });
    } else if (isKnownString(notificationHubId) && !sameResourceId(rule.hubId, notificationHubId)) {
      failures.push({
        property: "authorizationRuleId",
        reason: `must be a rule of the linked hub (${notificationHubId}); it belongs to ${rule.hubId}.`,
      });
    }
  }
  return failures;
}

async function armClient(options: LinkProviderOptions, subscriptionId: string) {
  // Loaded on first use: the plan and `pulumi preview` never pay for the Azure SDK (`require`, not
  // `import()`: see resolveCredential).
  const { CommunicationServiceManagementClient } =
    require("@azure/arm-communication") as typeof import("@azure/arm-communication");
  const endpoint = armEndpoint();
  const credential = await resolveCredential(options.credential);
  return new CommunicationServiceManagementClient(
    credential,
    subscriptionId,
    withRequestLimits(
      {
        endpoint,
        $host: endpoint,
        credentialScopes: [`${endpoint}/.default`],
        retryOptions: DEPLOYMENT_RETRIES,
        ...options.clientOptions,
      },
      options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    ),
  );
}

function contextOf(inputs: LinkInputs, connectionString?: string): LinkErrorContext {
  return {
    communicationServiceId: inputs.communicationServiceId,
    notificationHubId: inputs.notificationHubId,
    secrets: connectionString ? [connectionString] : [],
  };
}

async function link(options: LinkProviderOptions, inputs: LinkInputs): Promise<LinkOutputs> {
  const acs = parseCommunicationServiceId(inputs.communicationServiceId);
  const failures = validateLinkInputs(inputs);
  if (!acs || failures.length > 0) {
    throw new Error(failures.map((f) => `${f.property} ${f.reason}`).join(" "));
  }
  let connectionString: string | undefined;
  try {
    // Read here, with the deploying identity: the key is in this process only while it links.
    connectionString = await withDeadline(
      fetchRuleConnectionString(inputs.authorizationRuleId, keyReaderOptions(options)),
      options.deadlineMs ?? LINK_DEADLINE_MS,
      `Reading the keys of ${inputs.authorizationRuleId}`,
    );
    const client = await armClient(options, acs.subscriptionId);
    // Each request has its timeout; the deadline bounds them all, retries and back-off included.
    const linked = await withDeadline(
      client.communicationServices.linkNotificationHub(acs.resourceGroupName, acs.name, {
        linkNotificationHubParameters: { resourceId: inputs.notificationHubId, connectionString },
      }),
      options.deadlineMs ?? LINK_DEADLINE_MS,
      `Linking ${acs.name} to the hub`,
    );
    return {
      ...inputs,
      linkedNotificationHubId: linked.resourceId ?? inputs.notificationHubId,
      connectionStringFingerprint: connectionStringFingerprint(connectionString),
    };
  } catch (error) {
    throw explainLinkError(error, contextOf(inputs, connectionString));
  }
}

/**
 * CRUD for the `linkNotificationHub` ARM action. ARM models the link as a POST with no
 * resource behind it, so this provider gives it a lifecycle: create and update link, read
 * reports what ACS is linked to (so refresh shows drift), delete can only say that ARM
 * offers no unlink.
 */
export function createNotificationHubLinkProvider(options: LinkProviderOptions = {}): pulumi.dynamic.ResourceProvider {
  return {
    async check(olds: LinkInputs, news: LinkInputs) {
      return { inputs: news, failures: validateLinkInputs(news) };
    },

    async diff(_id: string, olds: LinkOutputs, news: LinkInputs) {
      const replaces = sameResourceId(olds.communicationServiceId, news.communicationServiceId) ? [] : ["communicationServiceId"];
      const hubChanged = !sameResourceId(olds.notificationHubId, news.notificationHubId);
      const ruleChanged = !sameResourceId(olds.authorizationRuleId ?? "", news.authorizationRuleId ?? "");
      // A regenerated key changes the connection string: ACS keeps the old one until re-linked.
      // Seen where the key can be read — the deploying identity's `pulumi up`; the preview
      // identity holds no key, and sees no change.
      const current = isKnownString(news.authorizationRuleId)
        ? await tryFetchRuleConnectionString(news.authorizationRuleId, keyReaderOptions(options))
        : undefined;
      const keyChanged = current !== undefined && olds.connectionStringFingerprint !== connectionStringFingerprint(current);
      const unknown = !isKnownString(news.authorizationRuleId) || !isKnownString(news.notificationHubId);
      return { changes: replaces.length > 0 || hubChanged || ruleChanged || keyChanged || unknown, replaces };
    },

    async create(inputs: LinkInputs) {
      const outs = await link(options, inputs);
      return { id: `${inputs.communicationServiceId}/notificationHubLink`, outs };
    },

    async update(_id: string, _olds: LinkOutputs, news: LinkInputs) {
      return { outs: await link(options, news) };
    },

    async read(id: string, props: LinkOutputs) {
      const acs = parseCommunicationServiceId(props.communicationServiceId ?? "");
      if (!acs) return { id, props };
      try {
        const client = await armClient(options, acs.subscriptionId);
        const service = await withDeadline(
          client.communicationServices.get(acs.resourceGroupName, acs.name),
          options.deadlineMs ?? LINK_DEADLINE_MS,
          `Reading ${acs.name}`,
        );
        const linkedNotificationHubId = service.notificationHubId ?? "";
        // Reporting the live hub as the input makes the next `up` re-link when someone changed it by hand.
        return { id, props: { ...props, linkedNotificationHubId, notificationHubId: linkedNotificationHubId } };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) {
          // The ACS resource is gone, and with it the link.
          return { id: "", props: {} };
        }
        throw explainLinkError(error, contextOf(props));
      }
    },

    // ARM has no unlink: deleting the resource leaves ACS linked until it is linked elsewhere or the
    // hub or its rule is deleted. Nothing here would reach the user (a provider's log has no engine
    // to go to under the dynamic-provider host), so the plan and the README say it instead.
    async delete() {},
  };
}
