/**
 * Built-in Azure role definition ids (the same in every tenant), named for what this project
 * grants with them. Each is the narrowest built-in role that does the job.
 */
export const BUILT_IN_ROLES = {
  /** The Functions host keeps leases and its deployment package in blob storage. */
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  /** Event Grid writes undeliverable events into the dead-letter container. */
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  /** On a Standard hub, the app queues accepted notifications and reads their PNS outcomes later. */
  storageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  /** The app resolves its Key Vault reference to the hub connection string. */
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  /** The app sends telemetry to Application Insights with Entra ID instead of an ingestion key. */
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
} as const;

export function roleDefinitionId(subscriptionId: string, role: keyof typeof BUILT_IN_ROLES): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES[role]}`;
}
