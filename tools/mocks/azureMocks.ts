import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { connectionStringFingerprint } from "../../azure/hubConnectionString";
import { DYNAMIC_TYPE_NAMES, dynamicTypeToken } from "../../components/resourceTypes";

/**
 * Pulumi mocks that answer like Azure would: ARM ids, names and computed outputs for every
 * resource type this project creates, and the one invoke it makes. Strict on purpose: an
 * unknown type or invoke throws, so a new resource cannot slip into a plan unmodelled.
 */
export const MOCK_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
export const MOCK_TENANT_ID = "00000000-0000-0000-0000-0000000000aa";

/** A GUID-shaped id derived from a seed, so plans are the same from run to run. */
function fakeGuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

type Inputs = Record<string, unknown>;

/** Stands in for Azure's random suffix on auto-named resources, but stays the same between runs. */
function autoName(logicalName: string): string {
  return `${logicalName}${createHash("sha256").update(logicalName).digest("hex").slice(0, 7)}`;
}

function plain(value: unknown): unknown {
  return pulumi.runtime.isRpcSecret(value) ? pulumi.runtime.unwrapRpcSecret(value) : value;
}

function str(inputs: Inputs, key: string): string {
  const v = plain(inputs[key]);
  return typeof v === "string" ? v : "";
}

const rgId = (inputs: Inputs) => `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${str(inputs, "resourceGroupName")}`;

type Model = (name: string, inputs: Inputs) => { id: string; outputs: Inputs };

/** A settings document of a site: it exists with the site, at a fixed path under it, named by its last segment. */
function siteSettings(subPath: string): Model {
  return (_name, inputs) => ({
    id: `${rgId(inputs)}/providers/Microsoft.Web/sites/${str(inputs, "name")}/${subPath}`,
    outputs: { name: subPath.split("/").pop() },
  });
}

const MODELS: Record<string, Model> = {
  "azure-native:resources:ResourceGroup": (name, inputs) => {
    const rgName = str(inputs, "resourceGroupName") || autoName(name);
    return { id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${rgName}`, outputs: { name: rgName } };
  },
  "azure-native:communication:CommunicationService": (name, inputs) => {
    const acsName = str(inputs, "communicationServiceName") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.Communication/communicationServices/${acsName}`,
      outputs: {
        name: acsName,
        hostName: `${acsName}.communication.azure.com`,
        notificationHubId: "",
        provisioningState: "Succeeded",
      },
    };
  },
  "azure-native:notificationhubs:Namespace": (name, inputs) => {
    const nsName = str(inputs, "namespaceName") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.NotificationHubs/namespaces/${nsName}`,
      outputs: { name: nsName, serviceBusEndpoint: `https://${nsName}.servicebus.windows.net:443/` },
    };
  },
  "azure-native:notificationhubs:NotificationHub": (name, inputs) => {
    const hubName = str(inputs, "notificationHubName") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.NotificationHubs/namespaces/${str(inputs, "namespaceName")}/notificationHubs/${hubName}`,
      outputs: { name: hubName },
    };
  },
  "azure-native:notificationhubs:NotificationHubAuthorizationRule": (name, inputs) => {
    const ruleName = str(inputs, "authorizationRuleName") || autoName(name);
    return {
      id:
        `${rgId(inputs)}/providers/Microsoft.NotificationHubs/namespaces/${str(inputs, "namespaceName")}` +
        `/notificationHubs/${str(inputs, "notificationHubName")}/AuthorizationRules/${ruleName}`,
      outputs: { name: ruleName },
    };
  },
  "azure-native:storage:StorageAccount": (name, inputs) => {
    const accountName =
      str(inputs, "accountName") ||
      autoName(name)
        .replace(/[^a-z0-9]/g, "")
        .slice(0, 24);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.Storage/storageAccounts/${accountName}`,
      outputs: { name: accountName, primaryEndpoints: { blob: `https://${accountName}.blob.core.windows.net/` } },
    };
  },
  "azure-native:storage:BlobContainer": (_name, inputs) => ({
    id: `${rgId(inputs)}/providers/Microsoft.Storage/storageAccounts/${str(inputs, "accountName")}/blobServices/default/containers/${str(inputs, "containerName")}`,
    outputs: { name: str(inputs, "containerName") },
  }),
  "azure-native:storage:Queue": (_name, inputs) => ({
    id: `${rgId(inputs)}/providers/Microsoft.Storage/storageAccounts/${str(inputs, "accountName")}/queueServices/default/queues/${str(inputs, "queueName")}`,
    outputs: { name: str(inputs, "queueName") },
  }),
  "azure-native:operationalinsights:Workspace": (name, inputs) => {
    const wsName = str(inputs, "workspaceName") || autoName(name);
    return { id: `${rgId(inputs)}/providers/Microsoft.OperationalInsights/workspaces/${wsName}`, outputs: { name: wsName } };
  },
  "azure-native:applicationinsights:Component": (name, inputs) => {
    const aiName = str(inputs, "resourceName") || autoName(name);
    const key = fakeGuid(aiName);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.Insights/components/${aiName}`,
      outputs: {
        name: aiName,
        connectionString: `InstrumentationKey=${key};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`,
      },
    };
  },
  "azure-native:keyvault:Vault": (name, inputs) => {
    const vaultName = str(inputs, "vaultName") || autoName(name);
    return { id: `${rgId(inputs)}/providers/Microsoft.KeyVault/vaults/${vaultName}`, outputs: { name: vaultName } };
  },
  "azure-native:keyvault:Secret": (_name, inputs) => {
    const vault = str(inputs, "vaultName");
    const secretName = str(inputs, "secretName");
    return {
      id: `${rgId(inputs)}/providers/Microsoft.KeyVault/vaults/${vault}/secrets/${secretName}`,
      outputs: {
        name: secretName,
        properties: {
          secretUri: `https://${vault}.vault.azure.net/secrets/${secretName}`,
          // Key Vault gives every write a new 32-hex-digit version.
          secretUriWithVersion: `https://${vault}.vault.azure.net/secrets/${secretName}/${fakeGuid(`${vault}/${secretName}/version`).replace(/-/g, "")}`,
        },
      },
    };
  },
  "azure-native:web:AppServicePlan": (name, inputs) => {
    const planName = str(inputs, "name") || autoName(name);
    return { id: `${rgId(inputs)}/providers/Microsoft.Web/serverfarms/${planName}`, outputs: { name: planName } };
  },
  "azure-native:web:WebApp": (name, inputs) => {
    const appName = str(inputs, "name") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.Web/sites/${appName}`,
      outputs: {
        name: appName,
        defaultHostName: `${appName}.azurewebsites.net`,
        identity: { type: "SystemAssigned", principalId: fakeGuid(`${appName}/identity`), tenantId: MOCK_TENANT_ID },
      },
    };
  },
  "azure-native:web:WebAppAuthSettingsV2": siteSettings("config/authsettingsV2"),
  "azure-native:web:WebAppApplicationSettings": siteSettings("config/appsettings"),
  "azure-native:web:WebAppScmAllowed": siteSettings("basicPublishingCredentialsPolicies/scm"),
  "azure-native:web:WebAppFtpAllowed": siteSettings("basicPublishingCredentialsPolicies/ftp"),
  "azure-native:applicationinsights:Workbook": (_name, inputs) => ({
    id: `${rgId(inputs)}/providers/Microsoft.Insights/workbooks/${str(inputs, "resourceName")}`,
    outputs: { name: str(inputs, "resourceName") },
  }),
  "azure-native:authorization:RoleAssignment": (name, inputs) => ({
    id: `${str(inputs, "scope")}/providers/Microsoft.Authorization/roleAssignments/${fakeGuid(name)}`,
    outputs: { name: fakeGuid(name) },
  }),
  // The GitOps bootstrap's identities and custom roles (bootstrap/).
  "azure-native:authorization:RoleDefinition": (name, inputs) => ({
    id: `${str(inputs, "scope")}/providers/Microsoft.Authorization/roleDefinitions/${fakeGuid(name)}`,
    outputs: { name: fakeGuid(name), type: "Microsoft.Authorization/roleDefinitions" },
  }),
  "azure-native:managedidentity:UserAssignedIdentity": (name, inputs) => {
    const identityName = str(inputs, "resourceName") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${identityName}`,
      outputs: {
        name: identityName,
        clientId: fakeGuid(`${identityName}/client`),
        principalId: fakeGuid(`${identityName}/principal`),
        tenantId: MOCK_TENANT_ID,
      },
    };
  },
  "azure-native:managedidentity:FederatedIdentityCredential": (name, inputs) => {
    const credentialName = str(inputs, "federatedIdentityCredentialResourceName") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${str(inputs, "resourceName")}/federatedIdentityCredentials/${credentialName}`,
      outputs: { name: credentialName },
    };
  },
  "azure-native:eventgrid:SystemTopic": (name, inputs) => {
    const topicName = str(inputs, "systemTopicName") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.EventGrid/systemTopics/${topicName}`,
      outputs: { name: topicName, identity: { type: "SystemAssigned", principalId: fakeGuid(`${topicName}/identity`) } },
    };
  },
  "azure-native:eventgrid:SystemTopicEventSubscription": (name, inputs) => {
    const subName = str(inputs, "eventSubscriptionName") || autoName(name);
    return {
      id: `${rgId(inputs)}/providers/Microsoft.EventGrid/systemTopics/${str(inputs, "systemTopicName")}/eventSubscriptions/${subName}`,
      outputs: { name: subName },
    };
  },
  "azure-native:monitor:ActionGroup": (name, inputs) => {
    const groupName = str(inputs, "actionGroupName") || autoName(name);
    return { id: `${rgId(inputs)}/providers/Microsoft.Insights/actionGroups/${groupName}`, outputs: { name: groupName } };
  },
  "azure-native:monitor:MetricAlert": (name, inputs) => {
    const ruleName = str(inputs, "ruleName") || autoName(name);
    return { id: `${rgId(inputs)}/providers/Microsoft.Insights/metricAlerts/${ruleName}`, outputs: { name: ruleName } };
  },
  "azure-native:monitor:ScheduledQueryRule": (name, inputs) => {
    const ruleName = str(inputs, "ruleName") || autoName(name);
    return { id: `${rgId(inputs)}/providers/Microsoft.Insights/scheduledQueryRules/${ruleName}`, outputs: { name: ruleName } };
  },
  [dynamicTypeToken(DYNAMIC_TYPE_NAMES.vaultNameSuffix)]: (name, inputs) => {
    const suffix = fakeGuid(`${name}/suffix`).replace(/-/g, "").slice(0, 8);
    return { id: `${str(inputs, "resourceGroupId")}/vaultNameSuffix/${suffix}`, outputs: { suffix } };
  },
  // What the provider's create returns: the layout it was given.
  [dynamicTypeToken(DYNAMIC_TYPE_NAMES.partitionLayout)]: (_name, inputs) => ({
    id: `${str(inputs, "app")}/partitions`,
    outputs: {},
  }),
  [dynamicTypeToken(DYNAMIC_TYPE_NAMES.functionCodeDeployment)]: (_name, inputs) => ({
    id: `${str(inputs, "functionAppId")}/deployments/onedeploy`,
    outputs: { deployedAt: "2026-01-01T00:00:00.000Z" },
  }),
  [dynamicTypeToken(DYNAMIC_TYPE_NAMES.notificationHubLink)]: (_name, inputs) => ({
    id: `${str(inputs, "communicationServiceId")}/notificationHubLink`,
    outputs: {
      linkedNotificationHubId: str(inputs, "notificationHubId"),
      connectionStringFingerprint: connectionStringFingerprint(fakeRuleConnectionString(str(inputs, "authorizationRuleId"))),
    },
  }),
  [dynamicTypeToken(DYNAMIC_TYPE_NAMES.hubKeySecret)]: (_name, inputs) => {
    const vaultName = str(inputs, "vaultId").split("/").pop();
    const secretUri = `https://${vaultName}.vault.azure.net/secrets/${str(inputs, "secretName")}`;
    return {
      id: `${str(inputs, "vaultId")}/secrets/${str(inputs, "secretName")}`,
      outputs: {
        secretUri,
        secretUriWithVersion: `${secretUri}/${fakeGuid(str(inputs, "authorizationRuleId")).replace(/-/g, "")}`,
        keyFingerprint: connectionStringFingerprint(fakeRuleConnectionString(str(inputs, "authorizationRuleId"))),
      },
    };
  },
};

/** The fake key the plan's hub hands out: deterministic, obviously not real. */
export function fakeSharedAccessKey(seed: string): string {
  return createHash("sha256").update(`fake-key:${seed}`).digest("base64");
}

/** The connection string a rule's listKeys would answer, for the providers that read it (never the program). */
export function fakeRuleConnectionString(ruleId: string): string {
  const parts = ruleId.split("/");
  const ns = parts[parts.indexOf("namespaces") + 1] ?? "";
  const rule = parts[parts.length - 1] ?? "";
  return `Endpoint=sb://${ns}.servicebus.windows.net/;SharedAccessKeyName=${rule};SharedAccessKey=${fakeSharedAccessKey(ruleId)}`;
}

const INVOKES: Record<string, (inputs: Inputs) => Inputs> = {
  "azure-native:authorization:getClientConfig": () => ({
    subscriptionId: MOCK_SUBSCRIPTION_ID,
    tenantId: MOCK_TENANT_ID,
    clientId: fakeGuid("client"),
    objectId: fakeGuid("object"),
  }),
};

export interface AzureMocksOptions {
  /**
   * What a new resource's computed values are: `modelled` (the default) answers with ids, names,
   * keys and principal ids shaped like Azure's, so tests can follow the wiring; `unknown` answers
   * as a real preview does for a resource about to be created — its id and every output it did not
   * get as an input are unknown, and so is everything built from them — so a plan never shows an
   * invented value as if it were real.
   */
  readonly computedValues?: "modelled" | "unknown";
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The state a preview knows: the inputs, and every output Azure computes — at any depth, such as
 * `identity.principalId` beside an input `identity.type` — as unknown.
 */
export function withComputedUnknown(inputs: Record<string, unknown>, outputs: Record<string, unknown>): Record<string, unknown> {
  const state: Record<string, unknown> = { ...inputs };
  for (const [key, value] of Object.entries(outputs)) {
    if (!(key in inputs)) state[key] = pulumi.runtime.unknownValue;
    else if (isPlainObject(inputs[key]) && isPlainObject(value)) state[key] = withComputedUnknown(inputs[key], value);
  }
  return state;
}

export class AzureMocks implements pulumi.runtime.Mocks {
  /** The program's Communication Services resource: an existing system topic is modelled as its topic. */
  private communicationServiceId?: string;
  private readonly waitingForCommunicationService: ((id: string) => void)[] = [];

  constructor(private readonly options: AzureMocksOptions = {}) {}

  private get unknownComputedValues(): boolean {
    return this.options.computedValues === "unknown";
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Inputs } {
    if (!args.custom) return { id: undefined, state: args.inputs };
    const model = MODELS[args.type];
    if (!model) throw new Error(`AzureMocks has no model for resource type ${args.type} (${args.name}).`);
    const { id, outputs } = model(args.name, args.inputs);
    if (args.type === "azure-native:communication:CommunicationService" && !this.communicationServiceId) {
      this.communicationServiceId = id;
      for (const resolve of this.waitingForCommunicationService.splice(0)) resolve(id);
    }
    if (this.unknownComputedValues) {
      // An empty id is what the engine answers for a resource a preview would create: unknown.
      return { id: undefined, state: withComputedUnknown(args.inputs, outputs) };
    }
    return { id, state: { ...args.inputs, ...outputs, id } };
  }

  call(args: pulumi.runtime.MockCallArgs): Inputs | Promise<Inputs> {
    if (args.token === "azure-native:eventgrid:getSystemTopic") return this.existingSystemTopic(args.inputs);
    const invoke = INVOKES[args.token];
    if (!invoke) throw new Error(`AzureMocks has no model for invoke ${args.token}.`);
    const result = invoke(args.inputs);
    // Offline, what Azure would answer is not known either.
    return this.unknownComputedValues
      ? Object.fromEntries(Object.keys(result).map((k) => [k, pulumi.runtime.unknownValue]))
      : result;
  }

  /**
   * An existing system topic can only be read in Azure; offline it is modelled as the topic of
   * the stack's ACS resource, with a system identity — what the program then checks for real.
   */
  private async existingSystemTopic(inputs: Inputs): Promise<Inputs> {
    const name = str(inputs, "systemTopicName");
    // The read can be answered before the ACS resource registers; wait for it (briefly).
    const source =
      this.communicationServiceId ??
      (await new Promise<string>((resolve) => {
        this.waitingForCommunicationService.push(resolve);
        setTimeout(() => resolve(""), 5_000).unref();
      }));
    return {
      id: `${rgId(inputs)}/providers/Microsoft.EventGrid/systemTopics/${name}`,
      name,
      location: "global",
      source,
      topicType: "Microsoft.Communication.CommunicationServices",
      identity: { type: "SystemAssigned", principalId: fakeGuid(`${name}/identity`) },
    };
  }
}
