import type { FakeResource } from "./harness";
import { urnOf } from "./harness";

export const SUB = "11111111-1111-1111-1111-111111111111";
const RG = `/subscriptions/${SUB}/resourceGroups/rg-push`;
export const ACS_ID = `${RG}/providers/Microsoft.Communication/communicationServices/acs-dev`;
export const HUB_ID = `${RG}/providers/Microsoft.NotificationHubs/namespaces/nh-dev/notificationHubs/hub-dev`;
export const CONNECTION_STRING =
  "Endpoint=sb://nh-dev.servicebus.windows.net/;SharedAccessKeyName=acs-send;SharedAccessKey=c2VjcmV0LWtleS1uZXZlci1wcmludGVk";

export const apnsToken = {
  keyId: "ABCDE12345",
  appId: "TEAM123456",
  appName: "com.contoso.chat",
  token: "MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg",
  endpoint: "https://api.development.push.apple.com:443/3/device",
};
export const fcmV1 = {
  projectId: "contoso-chat",
  clientEmail: "push@contoso-chat.iam.gserviceaccount.com",
  privateKey: "-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----",
};

/** A compliant stack, built the way this project's program builds it. Tests change one thing each. */
export function compliantStack(stack = "dev"): Record<string, FakeResource> {
  const acs: FakeResource = {
    stack,
    type: "azure-native:communication:CommunicationService",
    name: "acs",
    props: { id: ACS_ID, dataLocation: "Europe" },
  };
  const hub: FakeResource = {
    stack,
    type: "azure-native:notificationhubs:NotificationHub",
    name: "hub",
    props: { id: HUB_ID, apnsCredential: { ...apnsToken }, fcmV1Credential: { ...fcmV1 } },
  };
  const rule: FakeResource = {
    stack,
    type: "azure-native:notificationhubs:NotificationHubAuthorizationRule",
    name: "send",
    props: { rights: ["Send"] },
    dependencies: [urnOf(hub)],
  };
  // Device registration's own rule: Listen only, never fed to the link.
  const registrationRule: FakeResource = {
    stack,
    type: "azure-native:notificationhubs:NotificationHubAuthorizationRule",
    name: "register",
    props: { rights: ["Listen"] },
    dependencies: [urnOf(hub)],
  };
  const link: FakeResource = {
    stack,
    type: "pulumi-nodejs:dynamic:NotificationHubLink",
    name: "link",
    // The Send rule's id; the link's provider reads the key itself, so no key is an input.
    props: {
      communicationServiceId: ACS_ID,
      notificationHubId: HUB_ID,
      authorizationRuleId: `${HUB_ID}/authorizationRules/send`,
    },
    dependencies: [urnOf(acs), urnOf(hub), urnOf(rule)],
    propertyDependencies: {
      communicationServiceId: [urnOf(acs)],
      notificationHubId: [urnOf(hub)],
      authorizationRuleId: [urnOf(rule)],
    },
  };
  const topic: FakeResource = {
    stack,
    type: "azure-native:eventgrid:SystemTopic",
    name: "acs-events",
    props: { name: "acs-events-topic", topicType: "Microsoft.Communication.CommunicationServices", source: ACS_ID },
    dependencies: [urnOf(acs)],
  };
  const subscription: FakeResource = {
    stack,
    type: "azure-native:eventgrid:SystemTopicEventSubscription",
    name: "chat-to-function",
    props: {
      systemTopicName: "acs-events-topic",
      destination: { endpointType: "AzureFunction", resourceId: `${RG}/providers/Microsoft.Web/sites/push/functions/sendPush` },
      filter: { includedEventTypes: ["Microsoft.Communication.ChatMessageReceived"] },
      retryPolicy: { maxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 1440 },
      deadLetterDestination: {
        endpointType: "StorageBlob",
        resourceId: `${RG}/providers/Microsoft.Storage/storageAccounts/st`,
        blobContainerName: "dead-letter",
      },
    },
    dependencies: [urnOf(topic)],
  };
  const functionApp: FakeResource = {
    stack,
    type: "azure-native:web:WebApp",
    name: "push-sender",
    props: {
      kind: "functionapp,linux",
      httpsOnly: true,
      identity: { type: "SystemAssigned" },
      siteConfig: {
        minTlsVersion: "1.2",
        ftpsState: "Disabled",
        appSettings: [
          { name: "HUB_CONNECTION_STRING", value: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/hub-send)" },
        ],
      },
    },
  };
  return { acs, hub, rule, registrationRule, link, topic, subscription, functionApp };
}

/** Deep copy with changes applied to one resource's props. */
export function withProps(
  stack: Record<string, FakeResource>,
  key: string,
  change: (props: Record<string, unknown>) => void,
): FakeResource[] {
  const copy = JSON.parse(JSON.stringify(stack)) as Record<string, FakeResource>;
  change(copy[key].props);
  return Object.values(copy);
}
