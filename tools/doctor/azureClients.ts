import type { TokenCredential } from "@azure/identity";
import type { PipelineOptions, PipelinePolicy } from "@azure/core-rest-pipeline";
import { armEndpoint } from "../../azure/armEndpoint";
import { createArmRestClient } from "../../azure/armRestClient";
import { createAuthenticatedPipeline, INTERACTIVE_RETRIES, resolveCredential } from "../../azure/authenticatedPipeline";
import { NOTIFICATION_HUBS_API_VERSION } from "../../azure/hubRuleKeys";
import { NetworkFailure, REQUEST_TIMEOUT_MS, requestLimitsPolicy, withRequestLimits } from "../../azure/requestLimits";

/**
 * The Azure SDK clients the doctor reads with, all pointed at the same ARM endpoint
 * (ACS_NOTIFICATIONS_ARM_ENDPOINT for sovereign clouds and tests) and the same credential.
 */
export interface DoctorClientOptions {
  /** Default: DefaultAzureCredential. */
  readonly credential?: TokenCredential;
  /** TLS trust and retry timings, for tests. */
  readonly pipelineOptions?: PipelineOptions;
  /** Per-request timeout. Default: REQUEST_TIMEOUT_MS. */
  readonly requestTimeoutMs?: number;
}

export async function createDoctorClients(subscriptionId: string, options: DoctorClientOptions = {}) {
  const [{ CommunicationServiceManagementClient }, { NotificationHubsManagementClient }, { MonitorClient }] = await Promise.all([
    import("@azure/arm-communication"),
    import("@azure/arm-notificationhubs"),
    import("@azure/arm-monitor"),
  ]);
  const credential = options.credential ?? (await resolveCredential());
  const endpoint = armEndpoint();
  // One memory of silent hosts for the whole run: a host that did not answer fails every later
  // check at once with the same message, instead of each check waiting out its own timeout.
  const silentHosts = new Map<string, NetworkFailure>();
  const common = withRequestLimits(
    { retryOptions: INTERACTIVE_RETRIES, ...options.pipelineOptions },
    options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    silentHosts,
  );
  const limits = () => requestLimitsPolicy(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, silentHosts);
  return {
    // Blob Storage's data plane (the dead-letter container), with a Storage token.
    storage: await createStorageRestClient(credential, options.pipelineOptions, limits()),
    // For reads no SDK package here models (Event Grid system topics).
    arm: await createArmRestClient({
      credential: () => credential,
      retryOptions: INTERACTIVE_RETRIES,
      pipelineOptions: options.pipelineOptions,
      requestLimits: limits(),
    }),
    communication: new CommunicationServiceManagementClient(credential, subscriptionId, {
      endpoint,
      $host: endpoint,
      credentialScopes: [`${endpoint}/.default`],
      ...common,
    }),
    notificationHubs: new NotificationHubsManagementClient(credential, subscriptionId, {
      endpoint,
      $host: endpoint,
      credentialScopes: [`${endpoint}/.default`],
      // The SDK's default API version predates FCM v1; this one returns fcmV1Credential in PNS credentials.
      apiVersion: NOTIFICATION_HUBS_API_VERSION,
      ...common,
    }),
    monitor: new MonitorClient(credential, subscriptionId, {
      endpoint,
      credentials: { scopes: [`${endpoint}/.default`] },
      ...common,
    }),
  };
}

export type DoctorClients = Awaited<ReturnType<typeof createDoctorClients>>;

/** Storage data-plane reads with an Entra ID token (the accounts here accept no keys). */
async function createStorageRestClient(
  credential: TokenCredential,
  pipelineOptions: PipelineOptions | undefined,
  limits: PipelinePolicy,
) {
  const http = await createAuthenticatedPipeline({
    credential,
    scope: "https://storage.azure.com/.default",
    limits,
    retryOptions: INTERACTIVE_RETRIES,
    pipelineOptions,
    headers: { "x-ms-version": "2023-11-03" },
  });
  return {
    send: (request: { method: "GET"; url: string }) => http.send(request),
  };
}
