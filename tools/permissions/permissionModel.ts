/**
 * Who needs which Azure action, derived rather than listed: each resource of a stack's plan is
 * turned into the requests azure-native makes for it (its API path from azure-native's own
 * `reports/tokenPaths.json`, the method each stage uses), the dynamic providers add the requests
 * their code sends, the Function App and Event Grid add what they do at run time, and ARM's
 * convention (armActions.ts) turns each request into the action it needs. Each stage runs as one
 * identity; its roles come from the same constants the bootstrap and the program grant with.
 */
import tokenPathsFile from "./published/azure-native-token-paths.json";
import contributor from "./published/roles/contributor.json";
import rbacAdministrator from "./published/roles/role-based-access-control-administrator.json";
import keyVaultSecretsUser from "./published/roles/key-vault-secrets-user.json";
import monitoringMetricsPublisher from "./published/roles/monitoring-metrics-publisher.json";
import storageBlobDataContributor from "./published/roles/storage-blob-data-contributor.json";
import storageBlobDataOwner from "./published/roles/storage-blob-data-owner.json";
import storageQueueDataContributor from "./published/roles/storage-queue-data-contributor.json";
import userAccessAdministrator from "./published/roles/user-access-administrator.json";
import { armAction, HttpMethod, permissionsAllow, patternCovers } from "./armActions";
import endpointsFile from "./published/azure-native-endpoints.json";
import { BUILT_IN_ROLES } from "../../azure/roles";
import { BOOTSTRAP_RUNNER_ROLES, PREVIEW_ROLE, VAULT_SECRETS_DELETE_ROLE, WORKFLOW_ROLES } from "../../bootstrap/roles";
import { DYNAMIC_TYPE_NAMES, dynamicTypeToken } from "../../components/resourceTypes";

export const STAGES = [
  "bootstrap",
  "pull-request preview",
  "deploy (up)",
  "drift (preview --refresh)",
  "destroy",
  "Function App at run time",
  "Event Grid delivery",
  "ESC environment open",
] as const;
export type Stage = (typeof STAGES)[number];

/** One action a stage performs on one kind of resource, and why. */
export interface Need {
  readonly stage: Stage;
  readonly kind: "action" | "dataAction";
  readonly action: string;
  readonly resourceType: string;
  readonly why: string;
  /** Attempted and allowed to be refused: the stage works without it (a diff that cannot read a key sees no rotation). */
  readonly refusalExpected?: boolean;
}

/** A role as Azure defines it: what it allows and takes away, for control and data plane. */
export interface RoleDefinition {
  readonly name: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
}

interface PublishedRole {
  readonly roleName: string;
  readonly name: string;
  readonly permissions: readonly {
    readonly actions: readonly string[];
    readonly notActions: readonly string[];
    readonly dataActions: readonly string[];
    readonly notDataActions: readonly string[];
  }[];
}

function fromPublished(role: PublishedRole): RoleDefinition {
  const p = role.permissions[0];
  return {
    name: role.roleName,
    actions: p.actions,
    notActions: p.notActions,
    dataActions: p.dataActions,
    notDataActions: p.notDataActions,
  };
}

/** Built-in roles by their id (the same in every tenant), as Microsoft's role reference publishes them. */
export const PUBLISHED_ROLES: Readonly<Record<string, RoleDefinition>> = Object.fromEntries(
  [
    contributor,
    rbacAdministrator,
    keyVaultSecretsUser,
    monitoringMetricsPublisher,
    storageBlobDataContributor,
    storageBlobDataOwner,
    storageQueueDataContributor,
    userAccessAdministrator,
  ].map((r) => [r.name, fromPublished(r as PublishedRole)]),
);

function builtIn(id: string): RoleDefinition {
  const role = PUBLISHED_ROLES[id];
  if (!role) throw new Error(`No published definition of the built-in role ${id} (tools/permissions/published/roles).`);
  return role;
}

function custom(file: {
  Name: string;
  Actions: readonly string[];
  NotActions: readonly string[];
  DataActions: readonly string[];
  NotDataActions: readonly string[];
}): RoleDefinition {
  return {
    name: file.Name,
    actions: file.Actions,
    notActions: file.NotActions,
    dataActions: file.DataActions,
    notDataActions: file.NotDataActions,
  };
}

/** azure-native's API path of each resource type (its published `reports/tokenPaths.json`, the types this project uses). */
const TOKEN_PATHS: Readonly<Record<string, string>> = tokenPathsFile;

export function apiPath(type: string): string {
  const direct = TOKEN_PATHS[type];
  if (direct) return direct;
  // The unversioned token is the default version; the published line may be the versioned one.
  const [, module, name] = /^azure-native:([^:/]+):(.+)$/.exec(type) ?? [];
  const versioned = Object.entries(TOKEN_PATHS).find(
    ([token]) => token.startsWith(`azure-native:${module}/`) && token.endsWith(`:${name}`),
  );
  if (versioned) return versioned[1];
  throw new Error(
    `No azure-native API path for ${type}: add its line from pulumi/pulumi-azure-native reports/tokenPaths.json to tools/permissions/published/azure-native-token-paths.json.`,
  );
}

/** A resource whose path ends in a fixed name (config/appsettings, basicPublishingCredentialsPolicies/scm) exists with its parent: no create, no delete. */
export function isSingleton(path: string): boolean {
  return !/\{[^}]+\}$/.test(path);
}

function need(
  stage: Stage,
  kind: Need["kind"],
  method: HttpMethod,
  path: string,
  resourceType: string,
  why: string,
  refusalExpected = false,
): Need {
  return { stage, kind, action: armAction(method, path), resourceType, why, ...(refusalExpected ? { refusalExpected } : {}) };
}

/** One path of azure-native's published `reports/allEndpoints.json`: the HTTP verbs the API has there. */
interface Endpoint {
  readonly Path: string;
  readonly HttpVerbs: readonly string[];
  readonly PostOperations?: readonly string[];
}

const ENDPOINTS: ReadonlyMap<string, Endpoint> = new Map(
  Object.values(endpointsFile as Record<string, Record<string, Record<string, Endpoint>>>)
    .flatMap((groups) => Object.values(groups))
    .flatMap((paths) => Object.values(paths))
    .map((e) => [e.Path.toLowerCase(), e]),
);

/**
 * How azure-native reads a resource back (its generator's rule): the GET of its path; where the API
 * has no GET there, the POST `…/list` it offers instead (App Service's settings documents). A path
 * the endpoints file does not hold is read by GET, as every ARM resource can be.
 */
function readNeeds(stage: Stage, type: string, path: string): Need[] {
  const endpoint = ENDPOINTS.get(path.toLowerCase());
  if (endpoint && !endpoint.HttpVerbs.includes("GET")) {
    return endpoint.PostOperations?.includes("list")
      ? [
          need(
            stage,
            "action",
            "POST",
            `${path}/list`,
            type,
            "the API has no GET of the settings: azure-native reads them with POST …/list",
          ),
        ]
      : [];
  }
  const reads = [need(stage, "action", "GET", path, type, "azure-native reads the resource")];
  // azure-native's WebApp resource also reads the site's config/web (its custom Read merges siteConfig).
  if (type === "azure-native:web:WebApp")
    reads.push(need(stage, "action", "GET", `${path}/config/web`, type, "azure-native's WebApp read merges config/web"));
  return reads;
}

/** The types azure-native reads back with a POST `…/list` (the drift check's reason for a list action). */
export function readByPost(types: readonly string[]): string[] {
  return types.filter((type) =>
    readNeeds("drift (preview --refresh)", type, apiPath(type)).some((n) => n.action.endsWith("/list/action")),
  );
}

/** The stages that create, read back and delete a program's resources: the stack's, or the bootstrap's one person for all three. */
interface LifecycleStages {
  readonly deploy: Stage;
  readonly refresh: Stage;
  readonly destroy: Stage;
}

const STACK_LIFECYCLE: LifecycleStages = {
  deploy: "deploy (up)",
  refresh: "drift (preview --refresh)",
  destroy: "destroy",
};

/** What the stages do with one azure-native resource of the plan. */
function azureNativeNeeds(type: string, stages: LifecycleStages = STACK_LIFECYCLE): Need[] {
  const path = apiPath(type);
  const singleton = isSingleton(path);
  return [
    ...readNeeds(stages.deploy, type, path),
    need(
      stages.deploy,
      "action",
      "PUT",
      path,
      type,
      singleton ? "azure-native writes the settings" : "azure-native creates or updates the resource",
    ),
    ...readNeeds(stages.refresh, type, path),
    ...(singleton ? [] : [need(stages.destroy, "action", "DELETE", path, type, "azure-native deletes the resource")]),
  ];
}

const RULE_PATH = () => apiPath("azure-native:notificationhubs:NotificationHubAuthorizationRule");
const ACS_PATH = () => apiPath("azure-native:communication:CommunicationService");
const VAULT_PATH = () => apiPath("azure-native:keyvault:Vault");

/** A diff's look for a rotated key: attempted by the link and the secret providers, refused to the preview identity by design. */
function keyCheckInDiff(stage: Stage, type: string): Need {
  return need(
    stage,
    "action",
    "POST",
    `${RULE_PATH()}/listKeys`,
    type,
    "diff looks for a rotated key; refused to the preview identity by design",
    true,
  );
}

/**
 * The requests the dynamic providers' code sends (components/link, components/hubKeySecret,
 * components/pushSender/oneDeployProvider), per provider method. test/tools/permissions/providerCalls
 * runs the link and the secret providers against the local ARM and holds what they send equal to
 * this; OneDeploy's publish goes to the app's SCM host, not ARM, and is written from its code.
 */
function dynamicProviderNeeds(type: string): Need[] {
  const t = type;
  switch (type) {
    case dynamicTypeToken(DYNAMIC_TYPE_NAMES.notificationHubLink):
      return [
        keyCheckInDiff("pull-request preview", t),
        need(
          "deploy (up)",
          "action",
          "POST",
          `${RULE_PATH()}/listKeys`,
          t,
          "reads the Send rule's connection string to link with",
        ),
        need("deploy (up)", "action", "POST", `${ACS_PATH()}/linkNotificationHub`, t, "links the hub to the ACS resource"),
        need("drift (preview --refresh)", "action", "GET", ACS_PATH(), t, "reads which hub ACS reports as linked"),
        keyCheckInDiff("drift (preview --refresh)", t),
      ];
    case dynamicTypeToken(DYNAMIC_TYPE_NAMES.hubKeySecret):
      return [
        keyCheckInDiff("pull-request preview", t),
        need("deploy (up)", "action", "POST", `${RULE_PATH()}/listKeys`, t, "reads the rule's connection string to store"),
        need("deploy (up)", "action", "PUT", `${VAULT_PATH()}/secrets/{secretName}`, t, "writes the secret through ARM"),
        keyCheckInDiff("drift (preview --refresh)", t),
        {
          stage: "destroy",
          kind: "dataAction",
          action: "Microsoft.KeyVault/vaults/secrets/delete",
          resourceType: t,
          why: "deletes the secret through the vault's data plane (ARM has no DELETE for a secret)",
        },
      ];
    case dynamicTypeToken(DYNAMIC_TYPE_NAMES.functionCodeDeployment):
      return [
        {
          stage: "deploy (up)",
          kind: "action",
          action: "Microsoft.Web/sites/publish/Action",
          resourceType: t,
          why: "OneDeploy: POST https://<app>.scm…/api/publish with an Entra token, authorized as this action",
        },
      ];
    case dynamicTypeToken(DYNAMIC_TYPE_NAMES.vaultNameSuffix):
    case dynamicTypeToken(DYNAMIC_TYPE_NAMES.partitionLayout):
      // State only: neither calls Azure.
      return [];
    default:
      throw new Error(`The permissions model does not know what the dynamic provider ${type} calls.`);
  }
}

/** What the Function App and Event Grid do at run time, by the resources that make them do it. */
function runtimeNeeds(type: string): Need[] {
  const container = apiPath("azure-native:storage:BlobContainer");
  const blob = (verb: string) => `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/${verb}`;
  const dataAction = (stage: Stage, action: string, why: string): Need => ({
    stage,
    kind: "dataAction",
    action,
    resourceType: type,
    why,
  });
  const runtime = "Function App at run time" as const;
  switch (type) {
    case "azure-native:web:WebApp":
      return [
        dataAction(
          runtime,
          "Microsoft.KeyVault/vaults/secrets/getSecret/action",
          "resolves the Key Vault reference to the Send connection string",
        ),
        dataAction(runtime, "Microsoft.Insights/Telemetry/Write", "sends telemetry to Application Insights with Entra ID"),
        ...["read", "write", "delete"].map((verb) =>
          dataAction(runtime, blob(verb), "the Functions host keeps its leases and deployment package in blob storage"),
        ),
        need(runtime, "action", "PUT", container, type, "the Functions host creates its containers"),
        need(runtime, "action", "GET", container, type, "the Functions host reads its containers"),
      ];
    case "azure-native:storage:Queue": {
      // The PNS outcome queue (Standard hubs): the sender's output binding adds messages, the
      // readPnsOutcome trigger reads, hides and deletes them, and the host makes `<queue>-poison`.
      const message = (verb: string) => `Microsoft.Storage/storageAccounts/queueServices/queues/messages/${verb}`;
      const queue = apiPath("azure-native:storage:Queue");
      return [
        // Microsoft's role reference describes messages/write as "Add a message to a queue" (Storage
        // Queue Data Contributor's row), the role the Functions host documents for queue output bindings.
        dataAction(
          runtime,
          message("write"),
          "sendPush adds each accepted notification to the PNS outcome queue; the host writes poison messages",
        ),
        dataAction(runtime, message("read"), "readPnsOutcome receives queued notifications"),
        dataAction(
          runtime,
          message("process/action"),
          "readPnsOutcome hides a message while it asks the hub, and deletes it after",
        ),
        need(runtime, "action", "PUT", queue, type, "the queue bindings create their queue (and its poison queue) when missing"),
        need(runtime, "action", "GET", queue, type, "the queue bindings read their queue's properties"),
      ];
    }
    case "azure-native:eventgrid:SystemTopicEventSubscription":
      return [dataAction("Event Grid delivery", blob("write"), "writes undeliverable events into the dead-letter container")];
    default:
      return [];
  }
}

export interface PlannedResource {
  readonly type: string;
  readonly custom: boolean;
}

/** The distinct types of a plan's resources of one kind (custom or component), in order. */
function plannedTypes(resources: readonly PlannedResource[], custom: boolean): string[] {
  return [...new Set(resources.filter((r) => r.custom === custom).map((r) => r.type))].sort();
}

/** Every action each stage needs for these resources (component resources need nothing of their own). */
export function deriveNeeds(resources: readonly PlannedResource[]): Need[] {
  return withoutRepeats(
    plannedTypes(resources, true).flatMap((type) => [
      ...(type.startsWith("azure-native:")
        ? azureNativeNeeds(type)
        : type.startsWith("pulumi-nodejs:dynamic:")
          ? dynamicProviderNeeds(type)
          : []),
      ...runtimeNeeds(type),
    ]),
  );
}

/** The ESC environments' reader identity, as the bootstrap program names its component. */
export const ESC_SECRETS_READER_TYPE = "acs-notifications-bootstrap:gitops:EscSecretsReader";

/**
 * What the bootstrap's plan needs: its one runner creates, reads back and may delete every Azure
 * resource of it (its GitHub resources need a GitHub token, not Azure), and each ESC environment's
 * reader identity it makes reads that environment's secrets when the environment is opened.
 */
export function deriveBootstrapNeeds(resources: readonly PlannedResource[]): Need[] {
  const azure = plannedTypes(resources, true).filter((type) => type.startsWith("azure-native:"));
  const bootstrap: LifecycleStages = { deploy: "bootstrap", refresh: "bootstrap", destroy: "bootstrap" };
  const escReads: Need[] = plannedTypes(resources, false).includes(ESC_SECRETS_READER_TYPE)
    ? [
        {
          stage: "ESC environment open",
          kind: "dataAction",
          action: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
          resourceType: ESC_SECRETS_READER_TYPE,
          why: "ESC's azure-secrets provider reads each secret's value from the stack's secrets vault",
        },
      ]
    : [];
  return withoutRepeats([...azure.flatMap((type) => azureNativeNeeds(type, bootstrap)), ...escReads]);
}

/** One need per stage, kind and action (the first one's reason is kept). */
function withoutRepeats(needs: readonly Need[]): Need[] {
  const seen = new Set<string>();
  return needs.filter((n) => {
    const key = `${n.stage}|${n.kind}|${n.action.toLowerCase()}|${n.refusalExpected ? 1 : 0}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The identity each stage runs as, and the roles it holds — the same constants the bootstrap and the program grant. */
export interface Identity {
  readonly name: string;
  readonly roles: readonly RoleDefinition[];
  /**
   * Roles the program assigns only together with the resource that needs them (the queue role
   * with a Standard hub's PNS outcome queue): not held, hence not excess, in a plan without it.
   */
  readonly grantedWithTheirNeeds?: readonly string[];
}

const DEPLOY_IDENTITY: Identity = {
  name: "deploy identity of the stack (bootstrap)",
  roles: [
    builtIn(WORKFLOW_ROLES.contributor),
    builtIn(WORKFLOW_ROLES.roleBasedAccessControlAdministrator),
    custom(VAULT_SECRETS_DELETE_ROLE),
  ],
};

export const STAGE_IDENTITIES: Readonly<Record<Stage, Identity>> = {
  bootstrap: {
    name: "the person who runs the bootstrap once (Owner holds both roles)",
    roles: [builtIn(BOOTSTRAP_RUNNER_ROLES.contributor), builtIn(BOOTSTRAP_RUNNER_ROLES.userAccessAdministrator)],
  },
  "pull-request preview": { name: "preview identity (bootstrap)", roles: [custom(PREVIEW_ROLE)] },
  "drift (preview --refresh)": { name: "preview identity (bootstrap)", roles: [custom(PREVIEW_ROLE)] },
  "deploy (up)": DEPLOY_IDENTITY,
  destroy: DEPLOY_IDENTITY,
  "Function App at run time": {
    name: "the Function App's managed identity (program)",
    roles: [
      builtIn(BUILT_IN_ROLES.storageBlobDataOwner),
      builtIn(BUILT_IN_ROLES.storageQueueDataContributor),
      builtIn(BUILT_IN_ROLES.keyVaultSecretsUser),
      builtIn(BUILT_IN_ROLES.monitoringMetricsPublisher),
    ],
    grantedWithTheirNeeds: [builtIn(BUILT_IN_ROLES.storageQueueDataContributor).name],
  },
  "Event Grid delivery": {
    name: "the system topic's managed identity (program)",
    roles: [builtIn(BUILT_IN_ROLES.storageBlobDataContributor)],
  },
  "ESC environment open": {
    name: "the ESC environment's secrets reader identity (bootstrap)",
    roles: [builtIn(WORKFLOW_ROLES.keyVaultSecretsUser)],
  },
};

/** The role of the identity that grants a need, or undefined when none does. */
export function grantingRole(identity: Identity, n: Need): RoleDefinition | undefined {
  return identity.roles.find((role) =>
    n.kind === "action"
      ? permissionsAllow({ allow: role.actions, deny: role.notActions }, n.action)
      : permissionsAllow({ allow: role.dataActions, deny: role.notDataActions }, n.action),
  );
}

/** Needs no role of their stage's identity grants (refusals by design are not gaps). */
export function missingGrants(needs: readonly Need[]): Need[] {
  return needs.filter((n) => !n.refusalExpected && !grantingRole(STAGE_IDENTITIES[n.stage], n));
}

/** Needs refused by design that a role grants after all: the preview identity must not read a key. */
export function grantedRefusals(needs: readonly Need[]): Need[] {
  return needs.filter((n) => n.refusalExpected && grantingRole(STAGE_IDENTITIES[n.stage], n));
}

/**
 * Role patterns no stage of the identity needs, with why they are held anyway. A pattern here
 * without a reason fails the tests; so does a reason for a pattern no role holds any more.
 */
export const ALLOWED_EXCESS: Readonly<Record<string, string>> = {
  "Contributor *":
    "azure-native creates about twenty resource types here and Azure adds operation-status reads; a custom role listing them breaks on every new type. The deploy identity holds it on the stack's resource group; the bootstrap's runner on the subscription, once, to create the resource groups.",
  "User Access Administrator */read": "part of the built-in role; the bootstrap's runner reads through Contributor anyway.",
  "User Access Administrator Microsoft.Authorization/*":
    "the bootstrap writes two custom roles and the role assignments of every workflow identity; the narrowest built-in role that does both. Held by one person, for the bootstrap only.",
  "User Access Administrator Microsoft.Support/*": "part of the built-in role (support tickets).",
  "acs-notifications preview */read":
    "the drift check reads every resource of the stack back, about twenty types; Azure also serves operation statuses and the portal's reads under */read. Reads only: no write, no list key, no data action.",
  "Role Based Access Control Administrator */read":
    "part of the built-in role; the deploy identity reads everything in its resource group through Contributor anyway.",
  "Role Based Access Control Administrator Microsoft.Support/*":
    "part of the built-in role (support tickets); no built-in role delegates role assignment without it.",
  "Monitoring Metrics Publisher Microsoft.Insights/Register/Action":
    "part of the built-in role; the provider is registered already.",
  "Monitoring Metrics Publisher Microsoft.Support/*": "part of the built-in role.",
  "Monitoring Metrics Publisher Microsoft.Resources/subscriptions/resourceGroups/read": "part of the built-in role.",
  "Monitoring Metrics Publisher Microsoft.Insights/Metrics/Write":
    "part of the built-in role; the app sends telemetry, not custom metrics.",
  "Key Vault Secrets User Microsoft.KeyVault/vaults/secrets/readMetadata/action":
    "part of the built-in role; narrower than any other built-in that reads a secret's value.",
  "Storage Blob Data Owner Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action":
    "part of the built-in role the Functions host documents for identity-based AzureWebJobsStorage.",
  "Storage Blob Data Owner Microsoft.Storage/storageAccounts/blobServices/containers/*":
    "the built-in role the Functions host documents for identity-based AzureWebJobsStorage; no narrower built-in role creates containers and writes blobs.",
  "Storage Blob Data Owner Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*":
    "the same role's data actions; scoped to the Function App's own storage account.",
  "Storage Queue Data Contributor Microsoft.Storage/storageAccounts/queueServices/queues/delete":
    "part of the built-in role the Functions host documents for queue bindings with an identity; nothing narrower lets the binding create its queues.",
  "Storage Queue Data Contributor Microsoft.Storage/storageAccounts/queueServices/queues/messages/delete":
    "part of the built-in role; the host deletes a processed message through process/action.",
  "Storage Blob Data Contributor Microsoft.Storage/storageAccounts/blobServices/containers/delete":
    "part of the built-in role Event Grid documents for dead-lettering with a managed identity.",
  "Storage Blob Data Contributor Microsoft.Storage/storageAccounts/blobServices/containers/read":
    "part of the built-in role Event Grid documents for dead-lettering.",
  "Storage Blob Data Contributor Microsoft.Storage/storageAccounts/blobServices/containers/write":
    "part of the built-in role Event Grid documents for dead-lettering.",
  "Storage Blob Data Contributor Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action":
    "part of the built-in role.",
  "Storage Blob Data Contributor Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete":
    "part of the built-in role.",
  "Storage Blob Data Contributor Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read":
    "part of the built-in role.",
  "Storage Blob Data Contributor Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action":
    "part of the built-in role.",
  "Storage Blob Data Contributor Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action":
    "part of the built-in role.",
};

/**
 * Patterns a stage identity's roles hold beyond its stages' needs: those that cover no need, and
 * wildcards (they cover more than the needs by construction).
 */
export function unusedGrants(needs: readonly Need[]): string[] {
  const unused = new Set<string>();
  const byIdentity = new Map<string, { identity: Identity; needs: Need[] }>();
  for (const stage of STAGES) {
    const identity = STAGE_IDENTITIES[stage];
    const entry = byIdentity.get(identity.name) ?? { identity, needs: [] };
    entry.needs.push(...needs.filter((n) => n.stage === stage));
    byIdentity.set(identity.name, entry);
  }
  for (const { identity, needs: used } of byIdentity.values()) {
    for (const role of identity.roles) {
      const coversAny = (role: RoleDefinition) =>
        used.some((n) =>
          (n.kind === "action" ? role.actions : role.dataActions).some((pattern) => patternCovers(pattern, n.action)),
        );
      if (identity.grantedWithTheirNeeds?.includes(role.name) && !coversAny(role)) continue;
      for (const [kind, patterns] of [
        ["action", role.actions],
        ["dataAction", role.dataActions],
      ] as const) {
        for (const pattern of patterns) {
          const covers = used.some((n) => n.kind === kind && patternCovers(pattern, n.action));
          if (!covers || pattern.includes("*")) unused.add(`${role.name} ${pattern}`);
        }
      }
    }
  }
  return [...unused].sort();
}

/** A provider's published operations: its control-plane actions and its data actions, lower-cased. */
export interface PublishedOperations {
  readonly actions: ReadonlySet<string>;
  readonly dataActions: ReadonlySet<string>;
}

/** The operations of a provider's section of Microsoft's RBAC operations page: rows after `**DataAction**` are data actions. */
export function publishedOperations(markdown: string): PublishedOperations {
  const actions = new Set<string>();
  const dataActions = new Set<string>();
  let target = actions;
  for (const line of markdown.split("\n")) {
    if (/^> \| \*\*DataAction\*\* \|/.test(line)) target = dataActions;
    const row = /^> \| (Microsoft\.[A-Za-z]+\/[^ |]+) \|/i.exec(line);
    if (row) target.add(row[1].toLowerCase());
  }
  return { actions, dataActions };
}

/**
 * The preview role's Actions as the model derives them: `*\/read` for every GET the preview and
 * drift stages make, and each other action they need by name. gitops/preview-role.json must say the same.
 */
export function derivedPreviewActions(needs: readonly Need[]): string[] {
  const previewNeeds = needs.filter(
    (n) =>
      (n.stage === "pull-request preview" || n.stage === "drift (preview --refresh)") &&
      n.kind === "action" &&
      !n.refusalExpected,
  );
  const others = [...new Set(previewNeeds.filter((n) => !/\/read$/i.test(n.action)).map((n) => n.action))].sort();
  return [...(previewNeeds.some((n) => /\/read$/i.test(n.action)) ? ["*/read"] : []), ...others];
}

/** The data actions the deploy identity needs that no built-in role of it grants: the custom vault role must grant exactly these. */
export function derivedDeployDataActions(needs: readonly Need[]): string[] {
  return [
    ...new Set(
      needs.filter((n) => (n.stage === "deploy (up)" || n.stage === "destroy") && n.kind === "dataAction").map((n) => n.action),
    ),
  ].sort();
}
