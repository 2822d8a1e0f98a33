import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import { BUILT_IN_ROLES } from "../../azure/roles";
import { keyVaultName, scmHostOf } from "../../azure/globalNames";
import {
  AppSetting,
  DEFAULT_FUNCTION_NODE_VERSION,
  FunctionNodeVersion,
  hubSettingName,
  PUSH_FUNCTION_NAME,
  SETTINGS,
} from "../../function/src/contract";
import { PNS_OUTCOME_QUEUE } from "../../function/src/pnsOutcomes";
import { VaultNameSuffix } from "../vaultNameSuffix/vaultNameSuffix";
import { HubKeySecret } from "../hubKeySecret/hubKeySecret";
import { assignRole } from "../roleAssignment";
import { COMPONENT_TYPES } from "../resourceTypes";
import { FunctionCodeDeployment } from "./functionCodeDeployment";
import type { FunctionPackage } from "./functionPackage";
import { ComponentScope } from "../componentScope";

/** Where the Functions host receives Event Grid deliveries (checked by its system key, not by App Service authentication). */
export const EVENT_GRID_WEBHOOK_PATH = "/runtime/webhooks/eventgrid";
/**
 * Both casings Event Grid has used for the extension's webhook: no published source says App
 * Service authentication matches excluded paths without regard to case, and a miss would answer
 * Event Grid's deliveries 401.
 */
export const EVENT_GRID_WEBHOOK_PATHS = [EVENT_GRID_WEBHOOK_PATH, "/runtime/webhooks/EventGrid"];
const DEPLOYMENT_CONTAINER = "deployment-package";

export interface FunctionDelivery {
  readonly mode: "function";
  /** The bundled push sender (see functionPackage.ts). */
  readonly functionPackage: FunctionPackage;
  /** Which platforms the hub is configured for. */
  readonly platforms: readonly ("apple" | "fcmv1")[];
  /** Put message text in notifications. Default: false (message bodies are personal data). */
  readonly messagePreview?: boolean;
  /** Node.js major version of the Function App. Default: DEFAULT_FUNCTION_NODE_VERSION. */
  readonly nodeVersion?: FunctionNodeVersion;
  /** Flex Consumption scale-out limit. Default: 40. */
  readonly maxInstances?: number;
  /** Flex Consumption instance size. Default: 2048. */
  readonly instanceMemoryMb?: 512 | 2048 | 4096;
  /** Device registration by the app's back end. Default: the endpoint stays closed. */
  readonly registration?: RegistrationAccess;
  /**
   * The hub's tier. On Standard, the function reads each accepted notification's PNS outcome
   * later through a storage queue (function/src/pnsOutcomes.ts); on Free and Basic the ledger says
   * the tier reports none. Default: Free.
   */
  readonly hubSku?: "Free" | "Basic" | "Standard";
  /**
   * With several apps or partitions: every app's hubs, the linked hub first (its first partition is
   * the hub of `hubName` / `hubSendRuleId`). Absent: the one hub.
   */
  readonly apps?: readonly PushAppHubs[];
}

/** One app's hubs as the push sender reaches them: one per partition, in partition order. */
export interface PushAppHubs extends Omit<AppSetting, "name" | "hubs"> {
  readonly app: string;
  readonly hubs: readonly {
    readonly hubName: pulumi.Input<string>;
    readonly sendRuleId: pulumi.Input<string>;
    readonly registrationRuleId: pulumi.Input<string>;
  }[];
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
  /**
   * The access token version the audience's app registration issues (its manifest's
   * `api.requestedAccessTokenVersion`, `accessTokenAcceptedVersion` in the older manifest). A new
   * registration keeps the default, null, and Entra ID then issues **v1** access tokens for it — also
   * to a back end's client-credentials request — whose issuer is `https://sts.windows.net/<tenant>/`;
   * version 2 tokens carry `https://login.microsoftonline.com/<tenant>/v2.0`. App Service
   * authentication validates the issuer it is configured with, so the two must agree. Default: 1.
   */
  readonly accessTokenVersion?: 1 | 2;
  /** Token issuer, overriding the one derived from the tenant and accessTokenVersion (another cloud). */
  readonly issuer?: pulumi.Input<string>;
}

/** The issuer of the access tokens Entra ID issues for an API with this token version. */
export function registrationIssuer(tenantId: string, accessTokenVersion: 1 | 2 = 1): string {
  return accessTokenVersion === 2 ? `https://login.microsoftonline.com/${tenantId}/v2.0` : `https://sts.windows.net/${tenantId}/`;
}

export interface PushSenderFunctionArgs extends Omit<FunctionDelivery, "mode"> {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly resourceGroupId: pulumi.Output<string>;
  readonly location: pulumi.Input<string>;
  /** Short lowercase prefix for the key vault's globally unique name. */
  readonly globalNamePrefix: string;
  /** The deploying identity's subscription and tenant. */
  readonly client: pulumi.Output<authorization.GetClientConfigResult>;
  /** The account that holds the deployment package, the host's state and the dead-letter container. */
  readonly storageAccount: storage.StorageAccount;
  readonly deadLetterContainerUrl: pulumi.Output<string>;
  readonly hubName: pulumi.Input<string>;
  /** ARM id of the hub's Send-only rule (its key is written into the vault by the deploying process). */
  readonly hubSendRuleId: pulumi.Input<string>;
  /** ARM id of the hub's Listen-only rule, when devices register through the function. */
  readonly hubRegistrationRuleId?: pulumi.Input<string>;
  readonly chatPush: "function" | "native";
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * The push sender: a Function App on Flex Consumption with its logs, Application Insights, Key
 * Vault (the hub keys as secrets, read by the app's identity), roles, settings, the registration
 * endpoint's authentication and the code deployment. Its children keep the URNs they had under
 * PushDelivery (aliases), so a stack made before this component existed is not replaced.
 */
export class PushSenderFunction extends pulumi.ComponentResource {
  public readonly app: web.WebApp;
  public readonly appSettings: web.WebAppApplicationSettings;
  public readonly authSettings?: web.WebAppAuthSettingsV2;
  public readonly codeDeployment: FunctionCodeDeployment;
  public readonly keyVault: keyvault.Vault;
  public readonly functionAppName: pulumi.Output<string>;
  public readonly applicationInsightsId: pulumi.Output<string>;
  /** The sendPush function's resource id: the Event Grid subscription's destination. */
  public readonly eventGridDestination: pulumi.Output<string>;

  constructor(name: string, args: PushSenderFunctionArgs, opts: pulumi.ComponentResourceOptions & { parent: pulumi.Resource }) {
    super(COMPONENT_TYPES.pushSenderFunction, name, {}, opts);
    // Children were PushDelivery's before this component existed: the alias keeps their URNs.
    const scope: SenderScope = { name, args, child: { parent: this, aliases: [{ parent: opts.parent }] } };
    const deploymentContainer = deploymentPackageContainer(scope);
    const insights = telemetry(scope);
    this.keyVault = keyVault(scope);
    const secrets = hubKeySecrets(scope, this.keyVault);
    this.app = functionApp(scope, deploymentContainer);
    const appRoles = [...appRoleAssignments(scope, this.app, this.keyVault, insights), ...pnsOutcomeQueue(scope, this.app)];
    this.appSettings = appSettings(scope, this.app, insights, secrets, appRoles);
    this.authSettings = args.registration
      ? registrationAuthentication(scope, this.app, args.registration, this.appSettings)
      : undefined;
    this.codeDeployment = codeDeployment(scope, this.app, [
      ...appRoles,
      this.appSettings,
      ...(this.authSettings ? [this.authSettings] : []),
    ]);
    this.applicationInsightsId = insights.id;
    this.functionAppName = this.app.name;
    this.eventGridDestination = pulumi.interpolate`${this.app.id}/functions/${PUSH_FUNCTION_NAME}`;
    this.registerOutputs({ functionAppName: this.functionAppName, applicationInsightsId: this.applicationInsightsId });
  }
}

type SenderScope = ComponentScope<PushSenderFunctionArgs>;

/** The blob container the Flex Consumption app reads its deployment package from. */
function deploymentPackageContainer({ name, args, child }: SenderScope): storage.BlobContainer {
  return new storage.BlobContainer(
    `${name}-deployments`,
    {
      resourceGroupName: args.resourceGroupName,
      accountName: args.storageAccount.name,
      containerName: DEPLOYMENT_CONTAINER,
      publicAccess: storage.PublicAccess.None,
    },
    // A fixed name inside the account: the old container must go before the new one is made.
    { ...child, deleteBeforeReplace: true },
  );
}

/** Log Analytics and Application Insights, which accepts telemetry only from the app's Entra identity. */
function telemetry({ name, args, child }: SenderScope): applicationinsights.Component {
  const workspace = new operationalinsights.Workspace(
    `${name}-logs`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
      retentionInDays: 30,
      tags: args.tags,
    },
    child,
  );
  return new applicationinsights.Component(
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
    child,
  );
}

/** The vault of the hub keys, named so that no soft-deleted vault ever holds its name. */
function keyVault({ name, args, child }: SenderScope): keyvault.Vault {
  // Soft delete keeps a deleted vault's name taken for its retention period: every vault this
  // stack creates gets a name no earlier one had (a random suffix drawn at creation), so
  // `pulumi destroy` then `pulumi up` works without purging anything.
  const vaultNameSuffix = new VaultNameSuffix(
    `${name}-kv-name`,
    { resourceGroupId: args.resourceGroupId, location: args.location },
    child,
  );
  const vaultName = pulumi
    .all([args.resourceGroupId, vaultNameSuffix.suffix])
    .apply(([id, suffix]) => keyVaultName(args.globalNamePrefix, `${id}|${suffix}`));
  return new keyvault.Vault(
    `${name}-kv`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      vaultName,
      properties: {
        tenantId: args.client.tenantId,
        sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
        enableRbacAuthorization: true,
        // The least Azure allows: a destroyed stack's vault is gone for good a week later.
        softDeleteRetentionInDays: 7,
      },
      tags: args.tags,
    },
    // A replacement has a new suffix, hence a new name: created before the old one is deleted.
    child,
  );
}

interface HubKeySecrets {
  readonly send: HubKeySecret;
  readonly registration?: HubKeySecret;
  /** With several apps or partitions: each app partition's secrets (the linked hub's are `send` / `registration`). */
  readonly perHub: readonly { app: string; partition: number; send: HubKeySecret; registration?: HubKeySecret }[];
}

function hubKeySecrets({ name, args, child }: SenderScope, vault: keyvault.Vault): HubKeySecrets {
  // The keys go from the hub's rules into the vault inside the deploying process (HubKeySecret):
  // the program and its state hold only the secrets' versioned URIs. The names are not those of
  // the azure-native secrets earlier versions made: those are deleted (by name) after these are
  // written, on the first `up` with this version, and must not take these with them.
  const send = new HubKeySecret(
    `${name}-hub-send`,
    { authorizationRuleId: args.hubSendRuleId, vaultId: vault.id, secretName: "hub-send-connection-string" },
    child,
  );
  const registration =
    args.registration && args.hubRegistrationRuleId
      ? new HubKeySecret(
          `${name}-hub-register`,
          {
            authorizationRuleId: args.hubRegistrationRuleId,
            vaultId: vault.id,
            secretName: "hub-registration-connection-string",
          },
          child,
        )
      : undefined;
  // Every other app partition: its own secrets, named after it (the linked hub keeps the names above).
  const perHub = (args.apps ?? []).flatMap(({ app, hubs }, appIndex) =>
    hubs.map((hub, partition) => {
      if (appIndex === 0 && partition === 0) return { app, partition, send, registration };
      const secret = (purpose: "send" | "register", ruleId: pulumi.Input<string>) =>
        new HubKeySecret(
          `${name}-hub-${purpose}-${app}-p${partition}`,
          { authorizationRuleId: ruleId, vaultId: vault.id, secretName: `hub-${purpose}-${app}-p${partition}` },
          child,
        );
      return {
        app,
        partition,
        send: secret("send", hub.sendRuleId),
        registration: args.registration ? secret("register", hub.registrationRuleId) : undefined,
      };
    }),
  );
  return { send, registration, perHub };
}

/** The Flex Consumption plan and app (HTTPS only, TLS 1.2, FTPS off, system identity), basic publishing off. */
function functionApp({ name, args, child }: SenderScope, deploymentContainer: storage.BlobContainer): web.WebApp {
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
    child,
  );
  const blobEndpoint = args.storageAccount.primaryEndpoints.blob;
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
        runtime: { name: web.RuntimeName.Node, version: args.nodeVersion ?? DEFAULT_FUNCTION_NODE_VERSION },
        scaleAndConcurrency: {
          maximumInstanceCount: args.maxInstances ?? 40,
          instanceMemoryMB: args.instanceMemoryMb ?? 2048,
        },
      },
      tags: args.tags,
    },
    child,
  );
  // Basic (user name and password) publishing off, for Kudu and FTP: code goes in with Entra tokens
  // (OneDeploy), and the publishing credentials that `config/list` reveals — to the drift check's
  // preview identity among others — open nothing.
  new web.WebAppScmAllowed(
    `${name}-func-basic-scm`,
    { resourceGroupName: args.resourceGroupName, name: app.name, allow: false },
    child,
  );
  new web.WebAppFtpAllowed(
    `${name}-func-basic-ftp`,
    { resourceGroupName: args.resourceGroupName, name: app.name, allow: false },
    child,
  );
  return app;
}

/** The app's identity on the storage account, the vault and Application Insights. */
function appRoleAssignments(
  { name, args, child }: SenderScope,
  app: web.WebApp,
  vault: keyvault.Vault,
  insights: applicationinsights.Component,
): pulumi.Resource[] {
  const role = (
    childName: string,
    scope: pulumi.Input<string>,
    principalId: pulumi.Input<string>,
    roleName: keyof typeof BUILT_IN_ROLES,
  ) =>
    assignRole(`${name}-${childName}`, { scope, principalId, role: roleName, subscriptionId: args.client.subscriptionId }, child);
  const appPrincipal = app.identity.apply((i) => i?.principalId ?? "");
  return [
    role("func-storage", args.storageAccount.id, appPrincipal, "storageBlobDataOwner"),
    role("func-secrets", vault.id, appPrincipal, "keyVaultSecretsUser"),
    role("func-telemetry", insights.id, appPrincipal, "monitoringMetricsPublisher"),
  ];
}

/**
 * On a Standard hub: the queue of accepted notifications whose PNS outcome the function reads
 * later, and the app's right to use it. The Functions host's queue binding creates a queue it
 * does not find and moves failed messages to `<queue>-poison`, so the documented role for queue
 * bindings with an identity, Storage Queue Data Contributor, is the narrowest that works.
 */
function pnsOutcomeQueue({ name, args, child }: SenderScope, app: web.WebApp): pulumi.Resource[] {
  const standard = args.apps ? args.apps.some((a) => a.hubSku === "Standard") : args.hubSku === "Standard";
  if (!standard) return [];
  const queue = new storage.Queue(
    `${name}-pns-outcomes`,
    { resourceGroupName: args.resourceGroupName, accountName: args.storageAccount.name, queueName: PNS_OUTCOME_QUEUE },
    child,
  );
  const role = assignRole(
    `${name}-func-queue`,
    {
      scope: args.storageAccount.id,
      principalId: app.identity.apply((i) => i?.principalId ?? ""),
      role: "storageQueueDataContributor",
      subscriptionId: args.client.subscriptionId,
    },
    child,
  );
  return [queue, role];
}

function appSettings(
  { name, args, child }: SenderScope,
  app: web.WebApp,
  insights: applicationinsights.Component,
  secrets: HubKeySecrets,
  appRoles: pulumi.Resource[],
): web.WebAppApplicationSettings {
  // Settings are applied after the app's roles exist: App Service resolves a Key Vault reference
  // when settings change and caches the result (for up to 24 h), so a reference set before the
  // role is granted stays unresolved. The reference names the secret's *version*: a rotated key
  // is a new version, which changes the setting and makes the app fetch it at once.
  return new web.WebAppApplicationSettings(
    `${name}-func-settings`,
    {
      resourceGroupName: args.resourceGroupName,
      name: app.name,
      properties: {
        AzureWebJobsStorage__accountName: args.storageAccount.name,
        APPLICATIONINSIGHTS_CONNECTION_STRING: insights.connectionString,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Authorization=AAD",
        // Resolved by the platform with the app's identity; the key itself never sits in an app setting.
        [SETTINGS.connectionString]: keyVaultReference(secrets.send),
        [SETTINGS.hubName]: args.hubName,
        [SETTINGS.platforms]: args.platforms.join(","),
        [SETTINGS.messagePreview]: String(args.messagePreview ?? false),
        [SETTINGS.chatMessages]: String(args.chatPush === "function"),
        [SETTINGS.deadLetterUrl]: args.deadLetterContainerUrl,
        [SETTINGS.hubSku]: args.hubSku ?? "Free",
        ...(secrets.registration && args.registration
          ? {
              [SETTINGS.registrationConnectionString]: keyVaultReference(secrets.registration),
              [SETTINGS.registrationAllowedClients]: args.registration.allowedClientApplications.join(","),
            }
          : {}),
        ...appsSettings(args, secrets),
      },
    },
    { ...child, dependsOn: appRoles },
  );
}

/**
 * An app setting App Service resolves from the vault with the app's identity. It names the secret's
 * version: a rotated key is a new version, which changes the setting and makes the app fetch it at once.
 */
function keyVaultReference(secret: HubKeySecret): pulumi.Output<string> {
  return pulumi.interpolate`@Microsoft.KeyVault(SecretUri=${secret.secretUriWithVersion})`;
}

/** With several apps or partitions: PUSH_APPS, and each app partition's Key Vault references. */
function appsSettings(args: PushSenderFunctionArgs, secrets: HubKeySecrets): Record<string, pulumi.Input<string>> {
  if (!args.apps) return {};
  const settings: Record<string, pulumi.Input<string>> = {};
  for (const hub of secrets.perHub) {
    settings[hubSettingName(hub.app, hub.partition, "SEND")] = keyVaultReference(hub.send);
    if (hub.registration) settings[hubSettingName(hub.app, hub.partition, "REGISTER")] = keyVaultReference(hub.registration);
  }
  settings[SETTINGS.apps] = pulumi.all(args.apps.map((a) => pulumi.all(a.hubs.map((h) => h.hubName)))).apply((hubNames) =>
    JSON.stringify(
      args.apps!.map((a, i): AppSetting => ({
        name: a.app,
        platforms: a.platforms,
        hubSku: a.hubSku,
        messagePreview: a.messagePreview,
        ...(a.growingFrom !== undefined ? { growingFrom: a.growingFrom } : {}),
        hubs: hubNames[i],
      })),
    ),
  );
  return settings;
}

function registrationAuthentication(
  { name, args, child }: SenderScope,
  app: web.WebApp,
  registration: RegistrationAccess,
  settings: web.WebAppApplicationSettings,
): web.WebAppAuthSettingsV2 {
  // App Service authentication in front of the registration route: only Entra ID tokens for the
  // registration audience, issued to an allowed back end, get through; everything else is 401.
  // Event Grid's delivery path keeps its own system-key check and is excluded.
  return new web.WebAppAuthSettingsV2(
    `${name}-func-auth`,
    {
      resourceGroupName: args.resourceGroupName,
      name: app.name,
      platform: { enabled: true },
      globalValidation: {
        requireAuthentication: true,
        unauthenticatedClientAction: web.UnauthenticatedClientActionV2.Return401,
        excludedPaths: EVENT_GRID_WEBHOOK_PATHS,
      },
      httpSettings: { requireHttps: true },
      identityProviders: {
        azureActiveDirectory: {
          enabled: true,
          registration: {
            clientId: registration.audience,
            openIdIssuer:
              registration.issuer ??
              args.client.tenantId.apply((tenant) => registrationIssuer(tenant, registration.accessTokenVersion)),
          },
          validation: {
            allowedAudiences: [registration.audience, `api://${registration.audience}`],
            defaultAuthorizationPolicy: { allowedApplications: [...registration.allowedClientApplications] },
          },
        },
      },
      login: { tokenStore: { enabled: false } },
    },
    { ...child, dependsOn: [settings] },
  );
}

function codeDeployment({ name, args, child }: SenderScope, app: web.WebApp, after: pulumi.Resource[]): FunctionCodeDeployment {
  // Deploying restarts the app, which then reads its package and Key Vault reference with the roles and settings in place.
  return new FunctionCodeDeployment(
    `${name}-code`,
    {
      functionAppId: app.id,
      scmHost: app.defaultHostName.apply(scmHostOf),
      packagePath: args.functionPackage.path,
      packageSha256: args.functionPackage.sha256,
    },
    { ...child, dependsOn: after },
  );
}
