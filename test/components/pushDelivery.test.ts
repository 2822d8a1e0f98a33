import * as pulumi from "@pulumi/pulumi";
import { startMockRuntime, resolveOutput, ProgramRecording } from "../../tools/mocks/mockRuntime";
import { existingSystemTopicProblem, PushDelivery, PushDeliveryArgs } from "../../components/pushDelivery";
import { CommunicationServices } from "../../components/communicationServices";
import { BUILT_IN_ROLES } from "../../azure/roles";
import { settleRegistrations } from "../support/settle";

const SUB = "00000000-0000-0000-0000-000000000000";
const ACS_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs`;
const HUB_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.NotificationHubs/namespaces/ns/notificationHubs/hub";
const SEND_RULE_ID = `${HUB_ID}/authorizationRules/send`;
const REGISTER_RULE_ID = `${HUB_ID}/authorizationRules/register`;

const functionArgs: PushDeliveryArgs = {
  resourceGroupName: "rg",
  location: "westeurope",
  globalNamePrefix: "acsnotif-dev",
  communicationServiceId: ACS_ID,
  hubName: "hub",
  hubSendRuleId: SEND_RULE_ID,
  eventTypes: ["Microsoft.Communication.ChatMessageReceived"],
  tags: { environment: "dev" },
  delivery: {
    mode: "function",
    functionPackage: { path: "/tmp/push-sender.zip", sha256: "a".repeat(64), bytes: 1000 },
    platforms: ["apple", "fcmv1"],
  },
};

async function build(args: PushDeliveryArgs, withAcsResource = false): Promise<ProgramRecording> {
  const recording = startMockRuntime({ stack: "dev" });
  if (withAcsResource) {
    // An existing topic is modelled offline as this resource's topic.
    const acs = new CommunicationServices("push", { resourceGroupName: "rg", dataLocation: "Europe" });
    args = { ...args, communicationServiceId: acs.id };
  }
  const delivery = new PushDelivery("push", args);
  await resolveOutput(delivery.subscription.id);
  await settleRegistrations();
  return recording;
}

const plain = (v: unknown) => (pulumi.runtime.isRpcSecret(v) ? pulumi.runtime.unwrapRpcSecret(v) : v);
const T = {
  storage: "azure-native:storage:StorageAccount",
  container: "azure-native:storage:BlobContainer",
  app: "azure-native:web:WebApp",
  plan: "azure-native:web:AppServicePlan",
  vault: "azure-native:keyvault:Vault",
  secret: "pulumi-nodejs:dynamic:HubKeySecret",
  role: "azure-native:authorization:RoleAssignment",
  topic: "azure-native:eventgrid:SystemTopic",
  subscription: "azure-native:eventgrid:SystemTopicEventSubscription",
  deployment: "pulumi-nodejs:dynamic:FunctionCodeDeployment",
  insights: "azure-native:applicationinsights:Component",
  settings: "azure-native:web:WebAppApplicationSettings",
};

const appSettingsOf = (r: ProgramRecording) => r.one(T.settings).inputs.properties as Record<string, unknown>;

describe("PushDelivery with the push-sender Function", () => {
  let r: ProgramRecording;
  beforeAll(async () => {
    r = await build(functionArgs);
  });

  it("hardens the storage account: no public blobs, no shared keys, TLS 1.2, HTTPS only", () => {
    expect(r.one(T.storage).inputs).toMatchObject({
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      kind: "StorageV2",
    });
    expect(r.one(T.storage).inputs.accountName).toMatch(/^[a-z0-9]{3,24}$/);
    expect(
      r
        .byType(T.container)
        .map((c) => [c.inputs.containerName, c.inputs.publicAccess])
        .sort(),
    ).toEqual([
      ["dead-letter", "None"],
      ["deployment-package", "None"],
    ]);
  });

  it("runs the app on Flex Consumption: FC1 plan, functionapp,linux, Node 22, deployment from a blob container with its identity", () => {
    expect(r.one(T.plan).inputs).toMatchObject({
      kind: "functionapp",
      reserved: true,
      sku: { name: "FC1", tier: "FlexConsumption" },
    });
    const app = r.one(T.app).inputs;
    expect(app).toMatchObject({
      kind: "functionapp,linux",
      httpsOnly: true,
      identity: { type: "SystemAssigned" },
      siteConfig: { minTlsVersion: "1.2", ftpsState: "Disabled" },
      functionAppConfig: {
        runtime: { name: "node", version: "22" },
        deployment: { storage: { type: "blobContainer", authentication: { type: "SystemAssignedIdentity" } } },
        scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 },
      },
    });
    expect((app.functionAppConfig as { deployment: { storage: { value: string } } }).deployment.storage.value).toMatch(
      /^https:\/\/[a-z0-9]+\.blob\.core\.windows\.net\/deployment-package$/,
    );
  });

  it("hands the hub connection string to the app only as a reference to the secret's current version", () => {
    const settings = appSettingsOf(r);
    // Versioned: a rotated key is a new version, so the setting changes and App Service refetches at once
    // instead of serving its cached value for up to 24 hours.
    expect(settings.NOTIFICATION_HUB_CONNECTION_STRING).toMatch(
      /^@Microsoft\.KeyVault\(SecretUri=https:\/\/[^/]+\.vault\.azure\.net\/secrets\/hub-send-connection-string\/[0-9a-f]{32}\)$/,
    );
    expect((r.one(T.app).inputs.siteConfig as { appSettings?: unknown }).appSettings).toBeUndefined();
    expect(JSON.stringify(settings)).not.toContain("SharedAccessKey");
    expect(settings).toMatchObject({
      NOTIFICATION_HUB_NAME: "hub",
      PUSH_PLATFORMS: "apple,fcmv1",
      PUSH_MESSAGE_PREVIEW: "false",
      PUSH_CHAT_MESSAGES: "true",
      AzureWebJobsStorage__accountName: expect.any(String),
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Authorization=AAD",
    });
    // The secret names the rule, not its key: the deploying process writes the key (HubKeySecret).
    const secret = r.one(T.secret);
    expect(plain(secret.inputs)).toMatchObject({
      authorizationRuleId: SEND_RULE_ID,
      vaultId: expect.stringMatching(/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/),
      secretName: "hub-send-connection-string",
    });
    expect(JSON.stringify(plain(secret.inputs))).not.toContain("SharedAccessKey");
    expect(r.one(T.vault).inputs.properties).toMatchObject({ enableRbacAuthorization: true });
    expect(r.one(T.insights).inputs).toMatchObject({ disableLocalAuth: true });
  });

  it("grants the app and the topic only the roles they need, where they need them", () => {
    const app = r.one(T.app);
    const roleOf = (name: string) => r.byType(T.role).find((x) => x.name === name)!;
    const expectations: [string, keyof typeof BUILT_IN_ROLES, string][] = [
      ["push-func-storage", "storageBlobDataOwner", "Microsoft.Storage/storageAccounts"],
      ["push-func-secrets", "keyVaultSecretsUser", "Microsoft.KeyVault/vaults"],
      ["push-func-telemetry", "monitoringMetricsPublisher", "Microsoft.Insights/components"],
      ["push-topic-dead-letter", "storageBlobDataContributor", "Microsoft.Storage/storageAccounts"],
    ];
    expect(r.byType(T.role)).toHaveLength(expectations.length);
    for (const [name, role, scope] of expectations) {
      const assignment = roleOf(name).inputs;
      expect(assignment.roleDefinitionId).toBe(
        `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES[role]}`,
      );
      expect(assignment.scope).toContain(scope);
      expect(assignment.principalType).toBe("ServicePrincipal");
    }
    expect(roleOf("push-func-storage").dependencies).toContain(app.urn);
  });

  it("applies the app settings only after the app's roles exist, so the Key Vault reference resolves", () => {
    const settings = r.one(T.settings);
    expect(settings.dependencies).toContain(r.one(T.app).urn);
    for (const role of r.byType(T.role).filter((x) => x.name.startsWith("push-func-")))
      expect(settings.dependencies).toContain(role.urn);
  });

  it("gives globally named resources delete-before-replace, so a replacement never collides with its own name", () => {
    // The hub key secrets are replaced only into another vault or under another name (their provider's
    // diff), never onto their own name, which soft delete would keep taken; the vault's name has a
    // suffix drawn anew with every replacement, so it is created first like any other.
    for (const type of [T.storage, T.container])
      for (const resource of r.byType(type)) expect([resource.name, resource.deleteBeforeReplace]).toEqual([resource.name, true]);
    const vault = r.one(T.vault);
    expect(vault.deleteBeforeReplace).toBe(false);
    const suffix = r.one("pulumi-nodejs:dynamic:VaultNameSuffix");
    expect(vault.propertyDependencies.vaultName).toContain(suffix.urn);
    expect(vault.inputs.properties).toMatchObject({ softDeleteRetentionInDays: 7 });
  });

  it("deploys the package by hash, after the app's roles and settings exist", () => {
    const deployment = r.one(T.deployment);
    expect(deployment.dependencies).toContain(r.one(T.settings).urn);
    expect(deployment.inputs).toMatchObject({ packageSha256: "a".repeat(64), packagePath: "/tmp/push-sender.zip" });
    expect(deployment.inputs.scmHost).toMatch(/^push-func[0-9a-f]{7}\.scm\.azurewebsites\.net$/);
    for (const role of r.byType(T.role).filter((x) => x.name.startsWith("push-func-")))
      expect(deployment.dependencies).toContain(role.urn);
  });

  it("subscribes the push function to ACS events, after the code is deployed", () => {
    const topic = r.one(T.topic).inputs;
    expect(topic).toMatchObject({
      source: ACS_ID,
      topicType: "Microsoft.Communication.CommunicationServices",
      location: "global",
      identity: { type: "SystemAssigned" },
    });
    const sub = r.one(T.subscription);
    expect(plain(sub.inputs.destination)).toMatchObject({
      endpointType: "AzureFunction",
      resourceId: expect.stringMatching(/\/providers\/Microsoft\.Web\/sites\/push-func[0-9a-f]{7}\/functions\/sendPush$/),
      // One event per delivery: a failed batch would re-push every event in it.
      maxEventsPerBatch: 1,
    });
    expect(sub.inputs).toMatchObject({
      filter: { includedEventTypes: ["Microsoft.Communication.ChatMessageReceived"] },
      retryPolicy: { maxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 60 },
      deadLetterWithResourceIdentity: {
        identity: { type: "SystemAssigned" },
        deadLetterDestination: { endpointType: "StorageBlob", blobContainerName: "dead-letter" },
      },
    });
    expect(sub.dependencies).toContain(r.one(T.deployment).urn);
    expect(sub.dependencies).toContain(r.byType(T.role).find((x) => x.name === "push-topic-dead-letter")!.urn);
  });

  it("declares its chat-push path on the component for the policy pack", () => {
    expect(r.one("acs-notifications:delivery:PushDelivery").inputs).toMatchObject({
      deliveryMode: "function",
      chatPush: "function",
    });
  });

  it("passes the preview and native-chat choices to the app", async () => {
    const native = await build({
      ...functionArgs,
      chatPush: "native",
      delivery: {
        ...functionArgs.delivery,
        messagePreview: true,
      } as PushDeliveryArgs["delivery"],
    });
    const settings = appSettingsOf(native);
    expect(settings).toMatchObject({ PUSH_MESSAGE_PREVIEW: "true", PUSH_CHAT_MESSAGES: "false" });
    expect(native.one("acs-notifications:delivery:PushDelivery").inputs.chatPush).toBe("native");
  });
});

describe("PushDelivery to a webhook", () => {
  it("declares the chat-push path it is given, so a webhook that pushes chat is not taken for an undeclared path", async () => {
    for (const chatPush of ["function", "native"] as const) {
      const r = await build({
        ...functionArgs,
        chatPush,
        delivery: { mode: "webhook", webhookUrl: "https://push.contoso.com/acs" },
      });
      expect(r.one("acs-notifications:delivery:PushDelivery").inputs).toMatchObject({ deliveryMode: "webhook", chatPush });
    }
  });

  it("creates no Function App and targets the webhook, keeping its URL secret", async () => {
    const r = await build({
      ...functionArgs,
      delivery: { mode: "webhook", webhookUrl: "https://push.contoso.com/acs?code=s3cr3t" },
    });
    for (const type of [T.app, T.plan, T.vault, T.secret, T.deployment, T.insights]) expect(r.byType(type)).toHaveLength(0);
    const sub = r.one(T.subscription);
    expect(pulumi.runtime.isRpcSecret(sub.inputs.destination)).toBe(true);
    expect(plain(sub.inputs.destination)).toMatchObject({
      endpointType: "WebHook",
      endpointUrl: "https://push.contoso.com/acs?code=s3cr3t",
    });
    expect(sub.additionalSecretOutputs).toContain("destination");
    expect(sub.inputs.deadLetterWithResourceIdentity).toBeDefined();
  });
});

describe("PushDelivery on an existing Event Grid system topic (one per ACS resource)", () => {
  it("creates no topic and subscribes on the named one, dead-lettering with its identity", async () => {
    const r = await build(
      { ...functionArgs, existingSystemTopic: { name: "acs-events-legacy", resourceGroupName: "shared-rg" } },
      true,
    );
    expect(r.byType(T.topic)).toHaveLength(0);
    expect(r.invokes.find((i) => i.token === "azure-native:eventgrid:getSystemTopic")?.inputs).toEqual({
      resourceGroupName: "shared-rg",
      systemTopicName: "acs-events-legacy",
    });
    const sub = r.one(T.subscription);
    expect(sub.inputs).toMatchObject({ resourceGroupName: "shared-rg", systemTopicName: "acs-events-legacy" });
    const deadLetterRole = r.byType(T.role).find((x) => x.name === "push-topic-dead-letter")!;
    expect(deadLetterRole.inputs.principalId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("checking an existing system topic before subscribing to it", () => {
  const identity = { principalId: "5f0c2b1e-1111-2222-3333-444455556666" };
  it("accepts the ACS resource's topic, comparing ids as ARM does (Event Grid lower-cases source)", () => {
    expect(existingSystemTopicProblem("t", { source: ACS_ID.toLowerCase(), identity }, ACS_ID)).toBeUndefined();
  });
  it("refuses a topic on another resource, naming both", () => {
    const other = ACS_ID.replace("/acs", "/other-acs");
    expect(existingSystemTopicProblem("t", { source: other, identity }, ACS_ID)).toMatch(
      new RegExp(
        `existingEventGridSystemTopic 't' has source ${other.replace(/[/.]/g, "\\$&")}, not the Communication Services resource`,
      ),
    );
  });
  it("refuses a topic without a system identity, saying how to enable it", () => {
    expect(existingSystemTopicProblem("t", { source: ACS_ID }, ACS_ID)).toMatch(/no system-assigned identity: enable it/);
  });
});

describe("PushDelivery with device registration", () => {
  const registration = {
    audience: "6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a4b",
    allowedClientApplications: ["3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b"],
  };

  it("puts App Service authentication in front of the endpoint, admitting only the back end, and leaves Event Grid's path to its own key", async () => {
    const r = await build({
      ...functionArgs,
      hubRegistrationRuleId: REGISTER_RULE_ID,
      delivery: { ...functionArgs.delivery, registration } as PushDeliveryArgs["delivery"],
    });
    const auth = r.one("azure-native:web:WebAppAuthSettingsV2").inputs;
    expect(auth).toMatchObject({
      platform: { enabled: true },
      globalValidation: {
        requireAuthentication: true,
        unauthenticatedClientAction: "Return401",
        // Both casings Event Grid has used: a delivery to either must not meet the 401.
        excludedPaths: ["/runtime/webhooks/eventgrid", "/runtime/webhooks/EventGrid"],
      },
      httpSettings: { requireHttps: true },
      identityProviders: {
        azureActiveDirectory: {
          enabled: true,
          registration: {
            clientId: registration.audience,
            // A new app registration issues v1 access tokens (also for client credentials): their issuer.
            openIdIssuer: expect.stringMatching(/^https:\/\/sts\.windows\.net\/[0-9a-f-]{36}\/$/),
          },
          validation: {
            allowedAudiences: [registration.audience, `api://${registration.audience}`],
            defaultAuthorizationPolicy: { allowedApplications: registration.allowedClientApplications },
          },
        },
      },
    });
    const settings = appSettingsOf(r);
    expect(settings.NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING).toMatch(
      /^@Microsoft\.KeyVault\(SecretUri=https:\/\/[^/]+\/secrets\/hub-registration-connection-string\/[0-9a-f]{32}\)$/,
    );
    expect(settings.REGISTRATION_ALLOWED_CLIENT_IDS).toBe(registration.allowedClientApplications.join(","));
    const secret = r.byType(T.secret).find((s) => s.name === "push-hub-register")!;
    expect(plain(secret.inputs)).toMatchObject({
      authorizationRuleId: REGISTER_RULE_ID,
      secretName: "hub-registration-connection-string",
    });
    expect(r.one(T.deployment).dependencies).toContain(r.one("azure-native:web:WebAppAuthSettingsV2").urn);
  });

  it("expects the v2 issuer when the audience's app registration issues v2 access tokens", async () => {
    const r = await build({
      ...functionArgs,
      hubRegistrationRuleId: REGISTER_RULE_ID,
      delivery: {
        ...functionArgs.delivery,
        registration: { ...registration, accessTokenVersion: 2 },
      } as PushDeliveryArgs["delivery"],
    });
    const auth = r.one("azure-native:web:WebAppAuthSettingsV2").inputs as {
      identityProviders: { azureActiveDirectory: { registration: { openIdIssuer: string } } };
    };
    expect(auth.identityProviders.azureActiveDirectory.registration.openIdIssuer).toMatch(
      /^https:\/\/login\.microsoftonline\.com\/[0-9a-f-]{36}\/v2\.0$/,
    );
  });

  it("keeps the endpoint closed when registration is not configured: no authentication, no registration key", async () => {
    const r = await build({ ...functionArgs, hubRegistrationRuleId: REGISTER_RULE_ID });
    expect(r.byType("azure-native:web:WebAppAuthSettingsV2")).toHaveLength(0);
    expect(r.byType(T.secret).map((s) => s.name)).toEqual(["push-hub-send"]);
    expect(appSettingsOf(r).REGISTRATION_ALLOWED_CLIENT_IDS).toBeUndefined();
  });
});
