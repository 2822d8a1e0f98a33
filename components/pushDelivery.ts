import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import { BUILT_IN_ROLES, roleDefinitionId } from "../azure/roles";
import { DeletedVaultPurge } from "./vaultPurge/deletedVaultPurge";
import { FunctionCodeDeployment } from "./pushSender/functionCodeDeployment";
import type { FunctionPackage } from "./pushSender/functionPackage";
import { keyVaultName, scmHostOf, storageAccountName } from "../azure/globalNames";

import { PUSH_FUNCTION_NAME, SETTINGS } from "../function/src/contract";
import { COMPONENT_TYPES } from "./resourceTypes";

export const ACS_TOPIC_TYPE = "Microsoft.Communication.CommunicationServices";
/** Where the Functions host receives Event Grid deliveries (checked by its system key, not by App Service authentication). */
export const EVENT_GRID_WEBHOOK_PATH = "/runtime/webhooks/eventgrid";
const DEPLOYMENT_CONTAINER = "deployment-package";
const DEAD_LETTER_CONTAINER = "dead-letter";

interface FunctionDelivery {
  readonly mode: "function";
  /** The bundled push sender (see functionPackage.ts). */
  readonly functionPackage: FunctionPackage;
  /** Which platforms the hub is configured for. */
  readonly platforms: readonly ("apple" | "fcmv1")[];
  /** Put message text in notifications. Default: false (message bodies are personal data). */
  readonly messagePreview?: boolean;
  /** Node.js major version of the Function App. Default: "22". */
  readonly nodeVersion?: "20" | "22";
  /** Flex Consumption scale-out limit. Default: 40. */
  readonly maxInstances?: number;
  /** Flex Consumption instance size. Default: 2048. */
  readonly instanceMemoryMb?: 512 | 2048 | 4096;
  /** Device registration by the app's back end. Default: the endpoint stays closed. */
  readonly registration?: RegistrationAccess;
}

/**
 * Who may call the registration endpoint: App Service authentication with Entra ID admits tokens
 * for `audience` issued to one of `allowedClientApplications` (the app's back end).
 */
export interface RegistrationAccess {
  /** The Entra ID application (client id) the back end requests tokens for. */
  readonly audience: string;
  /** Client ids of the back ends allowed to register devices. */
  readonly allowedClientApplications: readonly string[];
  /** Token issuer. Default: https://login.microsoftonline.com/<deploying tenant>/v2.0. */
  readonly issuer?: pulumi.Input<string>;
}

interface WebhookDelivery {
  readonly mode: "webhook";
  /** Endpoint Event Grid posts to; kept secret (it usually carries a key). */
  readonly webhookUrl: pulumi.Input<string>;
}

export interface PushDeliveryArgs {
  /** Resource group for everything this component creates. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Region of the storage, plan and app. */
  readonly location: pulumi.Input<string>;
  /** Short lowercase prefix for names Azure needs globally unique (storage account, key vault). */
  readonly globalNamePrefix: string;
  /** ARM id of the Communication Services resource whose events are delivered. */
  readonly communicationServiceId: pulumi.Input<string>;
  /** The hub the function sends through. */
  readonly hubName: pulumi.Input<string>;
  /** Send-only connection string of the hub; stored in Key Vault, never in an app setting. */
  readonly hubConnectionString: pulumi.Input<string>;
  /** Listen-only connection string for device registration; stored in Key Vault. Default: no registration. */
  readonly hubRegistrationConnectionString?: pulumi.Input<string>;
  /** ACS event types to deliver. */
  readonly eventTypes: readonly string[];
  readonly delivery: FunctionDelivery | WebhookDelivery;
  /**
   * Who pushes chat messages: the Event Grid path (the function, or the team's webhook) or the
   * ACS SDK natively through the linked hub; declared on the component for the policy pack, and
   * with the function, it sends chat pushes only on "function". Default: "function".
   */
  readonly chatPush?: "function" | "native";
  /**
   * An Event Grid system topic that already exists on the ACS resource. Azure allows one system
   * topic per source, so a second one cannot be created; its subscription is added to this one.
   * It must have a system-assigned identity (dead-lettering authenticates with it). Default: a new topic.
   */
  readonly existingSystemTopic?: { readonly name: string; readonly resourceGroupName: pulumi.Input<string> };
  /** Tags applied to every resource. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Why an existing system topic cannot carry the push events, or undefined when it can: a topic on
 * another resource would deliver the wrong events, and one without a system identity cannot
 * dead-letter to a storage account that accepts no keys. ARM ids compare case-insensitively
 * (Event Grid reports `source` lower-cased).
 */
export function existingSystemTopicProblem(
  name: string,
  topic: { source?: string; identity?: { principalId?: string } },
  communicationServiceId: string,
): string | undefined {
  if (!topic.source || topic.source.toLowerCase() !== communicationServiceId.toLowerCase()) {
    return `existingEventGridSystemTopic '${name}' has source ${topic.source || "(none)"}, not the Communication Services resource ${communicationServiceId}: name the topic whose source is the ACS resource.`;
  }
  if (!topic.identity?.principalId) {
    return `existingEventGridSystemTopic '${name}' has no system-assigned identity: enable it (az eventgrid system-topic update --identity systemassigned), so dead-lettering can authenticate.`;
  }
  return undefined;
}

/**
 * ACS → Event Grid → push sender. Creates the system topic on the ACS resource and a subscription
 * that delivers the chosen events, with retries and dead-lettering, either to the push-sender
 * Function (Flex Consumption, managed identity everywhere, code deployed with OneDeploy) or to a
 * webhook. The subscription is created only after the code is deployed: Event Grid rejects an
 * Azure Function destination that does not exist yet.
 */
export class PushDelivery extends pulumi.ComponentResource {
  public readonly storageAccount: storage.StorageAccount;
  public readonly deadLetterContainer: storage.BlobContainer;
  /** The dead-letter container's URL, for the doctor. */
  public readonly deadLetterContainerUrl: pulumi.Output<string>;
  /** The topic this component created; undefined when it uses an existing one. */
  public readonly systemTopic?: eventgrid.SystemTopic;
  public readonly systemTopicId: pulumi.Output<string>;
  public readonly systemTopicName: pulumi.Output<string>;
  public readonly subscription: eventgrid.SystemTopicEventSubscription;
  public readonly functionApp?: web.WebApp;
  /** The app's settings, applied once its roles exist. */
  public readonly appSettings?: web.WebAppApplicationSettings;
  /** App Service authentication guarding the registration endpoint. */
  public readonly authSettings?: web.WebAppAuthSettingsV2;
  public readonly codeDeployment?: FunctionCodeDeployment;
  public readonly keyVault?: keyvault.Vault;
  public readonly functionAppName?: pulumi.Output<string>;
  /** Application Insights of the push sender, where its failures are counted. */
  public readonly applicationInsightsId?: pulumi.Output<string>;

  constructor(name: string, args: PushDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    // The delivery choices are registered on the component, as given, so policies can see which path pushes chat.
    const chatPush = args.chatPush ?? "function";
    super(
      COMPONENT_TYPES.pushDelivery,
      name,
      { deliveryMode: args.delivery.mode, chatPush, eventTypes: [...args.eventTypes] },
      opts,
    );
    const parent = { parent: this };
    const client = authorization.getClientConfigOutput(parent);
    const resourceGroupId = pulumi.interpolate`/subscriptions/${client.subscriptionId}/resourceGroups/${args.resourceGroupName}`;
    const role = (
      childName: string,
      scope: pulumi.Input<string>,
      principalId: pulumi.Input<string>,
      roleName: keyof typeof BUILT_IN_ROLES,
      dependsOn?: pulumi.Resource[],
    ) =>
      new authorization.RoleAssignment(
        `${name}-${childName}`,
        {
          scope,
          principalId,
          principalType: authorization.PrincipalType.ServicePrincipal,
          roleDefinitionId: client.subscriptionId.apply((sub) => roleDefinitionId(sub, roleName)),
        },
        { parent: this, dependsOn },
      );

    this.storageAccount = new storage.StorageAccount(
      `${name}-st`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        accountName: resourceGroupId.apply((id) => storageAccountName(args.globalNamePrefix, id)),
        kind: storage.Kind.StorageV2,
        sku: { name: storage.SkuName.Standard_LRS },
        allowBlobPublicAccess: false,
        // Every reader here has a managed identity, so no key is needed and none can leak.
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
        enableHttpsTrafficOnly: true,
        tags: args.tags,
      },
      // Its name is derived, not random: a replacement must free the name before taking it again.
      { parent: this, deleteBeforeReplace: true },
    );
    const container = (childName: string, containerName: string) =>
      new storage.BlobContainer(
        `${name}-${childName}`,
        {
          resourceGroupName: args.resourceGroupName,
          accountName: this.storageAccount.name,
          containerName,
          publicAccess: storage.PublicAccess.None,
        },
        // Fixed names inside the account: the old container must go before the new one is made.
        { parent: this, deleteBeforeReplace: true },
      );
    this.deadLetterContainer = container("dead-letter", DEAD_LETTER_CONTAINER);
    this.deadLetterContainerUrl = pulumi.interpolate`${this.storageAccount.primaryEndpoints.blob}${DEAD_LETTER_CONTAINER}`;

    let topicPrincipal: pulumi.Output<string>;
    let topicResourceGroupName: pulumi.Input<string> = args.resourceGroupName;
    if (args.existingSystemTopic) {
      const existing = args.existingSystemTopic;
      topicResourceGroupName = existing.resourceGroupName;
      const topic = eventgrid.getSystemTopicOutput(
        { resourceGroupName: existing.resourceGroupName, systemTopicName: existing.name },
        parent,
      );
      // Checked before anything subscribes to it: a topic on another resource would deliver the
      // wrong events, and one without an identity cannot dead-letter to a key-less account.
      const checked = pulumi.all([topic, args.communicationServiceId]).apply(([t, acsId]) => {
        const problem = existingSystemTopicProblem(existing.name, t, acsId);
        if (problem) throw new pulumi.ResourceError(problem, this);
        return t;
      });
      this.systemTopicId = checked.apply((t) => t.id);
      this.systemTopicName = checked.apply((t) => t.name);
      topicPrincipal = checked.apply((t) => t.identity?.principalId ?? "");
    } else {
      this.systemTopic = new eventgrid.SystemTopic(
        `${name}-acs-events`,
        {
          resourceGroupName: args.resourceGroupName,
          // ACS is a global resource, so is its system topic.
          location: "global",
          source: args.communicationServiceId,
          topicType: ACS_TOPIC_TYPE,
          // Dead-lettering authenticates as the topic, not with a storage key.
          identity: { type: eventgrid.IdentityType.SystemAssigned },
          tags: args.tags,
        },
        parent,
      );
      this.systemTopicId = this.systemTopic.id;
      this.systemTopicName = this.systemTopic.name;
      topicPrincipal = this.systemTopic.identity.apply((i) => i?.principalId ?? "");
    }
    const deadLetterRole = role("topic-dead-letter", this.storageAccount.id, topicPrincipal, "storageBlobDataContributor");

    let destination: eventgrid.SystemTopicEventSubscriptionArgs["destination"];
    const subscriptionDependsOn: pulumi.Resource[] = [deadLetterRole];
    // One event per delivery. The Functions Event Grid extension fails a whole batch when one event
    // fails, and Event Grid then re-sends every event in it: the ones already pushed would push
    // again, often on another instance whose de-duplication memory has never seen them.
    const batching = { maxEventsPerBatch: 1, preferredBatchSizeInKilobytes: 64 };

    if (args.delivery.mode === "function") {
      const delivery = args.delivery;
      const deploymentContainer = container("deployments", DEPLOYMENT_CONTAINER);
      const workspace = new operationalinsights.Workspace(
        `${name}-logs`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
          retentionInDays: 30,
          tags: args.tags,
        },
        parent,
      );
      const insights = new applicationinsights.Component(
        `${name}-insights`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          kind: "web",
          applicationType: applicationinsights.ApplicationType.Web,
          workspaceResourceId: workspace.id,
          // Telemetry is accepted only with Entra ID, from the app's identity.
          disableLocalAuth: true,
          tags: args.tags,
        },
        parent,
      );
      const vaultName = resourceGroupId.apply((id) => keyVaultName(args.globalNamePrefix, id));
      // Soft delete keeps a deleted vault's name taken; this stack's own deleted vault is purged
      // first, so `pulumi destroy` then `pulumi up` works.
      const vaultNameRelease = new DeletedVaultPurge(
        `${name}-kv-name`,
        { subscriptionId: client.subscriptionId, location: args.location, vaultName, resourceGroupId },
        parent,
      );
      this.keyVault = new keyvault.Vault(
        `${name}-kv`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          vaultName,
          properties: {
            tenantId: client.tenantId,
            sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
            enableRbacAuthorization: true,
          },
          tags: args.tags,
        },
        // The name is derived from the resource group: a replacement must free it first.
        { parent: this, deleteBeforeReplace: true, dependsOn: [vaultNameRelease] },
      );
      const hubSecret = new keyvault.Secret(
        `${name}-hub-send`,
        {
          resourceGroupName: args.resourceGroupName,
          vaultName: this.keyVault.name,
          secretName: "notification-hub-send",
          properties: { value: pulumi.secret(args.hubConnectionString) },
        },
        { parent: this, additionalSecretOutputs: ["properties"], deleteBeforeReplace: true },
      );
      const registration = delivery.registration;
      const registrationSecret =
        registration && args.hubRegistrationConnectionString
          ? new keyvault.Secret(
              `${name}-hub-register`,
              {
                resourceGroupName: args.resourceGroupName,
                vaultName: this.keyVault.name,
                secretName: "notification-hub-registration",
                properties: { value: pulumi.secret(args.hubRegistrationConnectionString) },
              },
              { parent: this, additionalSecretOutputs: ["properties"], deleteBeforeReplace: true },
            )
          : undefined;
      const plan = new web.AppServicePlan(
        `${name}-plan`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          kind: "functionapp",
          reserved: true,
          sku: { name: "FC1", tier: "FlexConsumption" },
          tags: args.tags,
        },
        parent,
      );
      const blobEndpoint = this.storageAccount.primaryEndpoints.blob;
      const app = new web.WebApp(
        `${name}-func`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          kind: "functionapp,linux",
          serverFarmId: plan.id,
          httpsOnly: true,
          identity: { type: web.ManagedServiceIdentityType.SystemAssigned },
          siteConfig: {
            minTlsVersion: web.SupportedTlsVersions.SupportedTlsVersions_1_2,
            ftpsState: web.FtpsState.Disabled,
            http20Enabled: true,
          },
          functionAppConfig: {
            deployment: {
              storage: {
                type: web.FunctionsDeploymentStorageType.BlobContainer,
                value: pulumi.interpolate`${blobEndpoint}${deploymentContainer.name}`,
                authentication: { type: web.AuthenticationType.SystemAssignedIdentity },
              },
            },
            runtime: { name: web.RuntimeName.Node, version: delivery.nodeVersion ?? "22" },
            scaleAndConcurrency: {
              maximumInstanceCount: delivery.maxInstances ?? 40,
              instanceMemoryMB: delivery.instanceMemoryMb ?? 2048,
            },
          },
          tags: args.tags,
        },
        parent,
      );
      this.functionApp = app;
      this.applicationInsightsId = insights.id;
      this.functionAppName = app.name;
      const appPrincipal = app.identity.apply((i) => i?.principalId ?? "");
      const appRoles = [
        role("func-storage", this.storageAccount.id, appPrincipal, "storageBlobDataOwner"),
        role("func-secrets", this.keyVault.id, appPrincipal, "keyVaultSecretsUser"),
        role("func-telemetry", insights.id, appPrincipal, "monitoringMetricsPublisher"),
      ];
      // Settings are applied after the app's roles exist: App Service resolves a Key Vault reference
      // when settings change and caches the result (for up to 24 h), so a reference set before the
      // role is granted stays unresolved. The reference names the secret's *version*: a rotated key
      // is a new version, which changes the setting and makes the app fetch it at once.
      this.appSettings = new web.WebAppApplicationSettings(
        `${name}-func-settings`,
        {
          resourceGroupName: args.resourceGroupName,
          name: app.name,
          properties: {
            AzureWebJobsStorage__accountName: this.storageAccount.name,
            APPLICATIONINSIGHTS_CONNECTION_STRING: insights.connectionString,
            APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Authorization=AAD",
            // Resolved by the platform with the app's identity; the key itself never sits in an app setting.
            [SETTINGS.connectionString]: pulumi.interpolate`@Microsoft.KeyVault(SecretUri=${hubSecret.properties.secretUriWithVersion})`,
            [SETTINGS.hubName]: args.hubName,
            [SETTINGS.platforms]: delivery.platforms.join(","),
            [SETTINGS.messagePreview]: String(delivery.messagePreview ?? false),
            [SETTINGS.chatMessages]: String(chatPush === "function"),
            [SETTINGS.deadLetterUrl]: pulumi.interpolate`${blobEndpoint}${DEAD_LETTER_CONTAINER}`,
            ...(registrationSecret && registration
              ? {
                  [SETTINGS.registrationConnectionString]: pulumi.interpolate`@Microsoft.KeyVault(SecretUri=${registrationSecret.properties.secretUriWithVersion})`,
                  [SETTINGS.registrationAllowedClients]: registration.allowedClientApplications.join(","),
                }
              : {}),
          },
        },
        { parent: this, dependsOn: appRoles },
      );
      if (registration) {
        // App Service authentication in front of the registration route: only Entra ID tokens for the
        // registration audience, issued to an allowed back end, get through; everything else is 401.
        // Event Grid's delivery path keeps its own system-key check and is excluded.
        this.authSettings = new web.WebAppAuthSettingsV2(
          `${name}-func-auth`,
          {
            resourceGroupName: args.resourceGroupName,
            name: app.name,
            platform: { enabled: true },
            globalValidation: {
              requireAuthentication: true,
              unauthenticatedClientAction: web.UnauthenticatedClientActionV2.Return401,
              excludedPaths: [EVENT_GRID_WEBHOOK_PATH],
            },
            httpSettings: { requireHttps: true },
            identityProviders: {
              azureActiveDirectory: {
                enabled: true,
                registration: {
                  clientId: registration.audience,
                  openIdIssuer:
                    registration.issuer ?? pulumi.interpolate`https://login.microsoftonline.com/${client.tenantId}/v2.0`,
                },
                validation: {
                  allowedAudiences: [registration.audience, `api://${registration.audience}`],
                  defaultAuthorizationPolicy: { allowedApplications: [...registration.allowedClientApplications] },
                },
              },
            },
            login: { tokenStore: { enabled: false } },
          },
          { parent: this, dependsOn: [this.appSettings] },
        );
      }
      // Deploying restarts the app, which then reads its package and Key Vault reference with the roles and settings in place.
      this.codeDeployment = new FunctionCodeDeployment(
        `${name}-code`,
        {
          functionAppId: app.id,
          scmHost: app.defaultHostName.apply(scmHostOf),
          packagePath: delivery.functionPackage.path,
          packageSha256: delivery.functionPackage.sha256,
        },
        { parent: this, dependsOn: [...appRoles, this.appSettings, ...(this.authSettings ? [this.authSettings] : [])] },
      );
      subscriptionDependsOn.push(this.codeDeployment);
      destination = {
        endpointType: "AzureFunction",
        resourceId: pulumi.interpolate`${app.id}/functions/${PUSH_FUNCTION_NAME}`,
        ...batching,
      };
    } else {
      destination = { endpointType: "WebHook", endpointUrl: pulumi.secret(args.delivery.webhookUrl), ...batching };
    }

    this.subscription = new eventgrid.SystemTopicEventSubscription(
      `${name}-push`,
      {
        resourceGroupName: topicResourceGroupName,
        systemTopicName: this.systemTopicName,
        destination,
        eventDeliverySchema: eventgrid.EventDeliverySchema.EventGridSchema,
        filter: { includedEventTypes: [...args.eventTypes] },
        // A push older than an hour is noise; ten attempts cover a restart or a throttling spell.
        retryPolicy: { maxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 60 },
        deadLetterWithResourceIdentity: {
          identity: { type: eventgrid.EventSubscriptionIdentityType.SystemAssigned },
          deadLetterDestination: {
            endpointType: "StorageBlob",
            resourceId: this.storageAccount.id,
            blobContainerName: DEAD_LETTER_CONTAINER,
          },
        },
      },
      // The webhook URL usually carries a key: keep the destination secret in state.
      { parent: this, dependsOn: subscriptionDependsOn, additionalSecretOutputs: ["destination"] },
    );

    this.registerOutputs({
      storageAccountName: this.storageAccount.name,
      systemTopicName: this.systemTopicName,
      subscriptionName: this.subscription.name,
      functionAppName: this.functionAppName,
    });
  }
}
