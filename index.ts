import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { readStackConfig, secretInput } from "./config/readStackConfig";
import { CommunicationServices } from "./components/communicationServices";
import { NotificationHub } from "./components/notificationHub";
import { NotificationHubLink } from "./components/link/notificationHubLink";
import { functionPackage } from "./components/pushSender/functionPackage";
import { PushDelivery } from "./components/pushDelivery";
import { PushAlerts } from "./components/pushAlerts";
import { PushDashboard } from "./components/pushDashboard";

/**
 * The stack program. Pulumi calls the function this module exports and takes what it returns as the
 * stack's outputs (a documented form of a Node.js program); the offline plan calls it the same way,
 * once for each stack it plans, so one loaded copy of the components serves every run.
 */
function stackProgram() {
  const config = readStackConfig();
  const name = config.namePrefix;

  const resourceGroupName: pulumi.Input<string> = config.existingResourceGroup
    ? config.existingResourceGroup
    : new resources.ResourceGroup(`${name}-rg`, { location: config.location, tags: config.tags }).name;

  // ACS and the hub do not depend on each other, so Pulumi creates them in parallel.
  const acs = new CommunicationServices(name, {
    resourceGroupName,
    dataLocation: config.dataLocation,
    tags: config.tags,
  });

  const hub = new NotificationHub(name, {
    resourceGroupName,
    location: config.location,
    sku: config.hubSku,
    tags: config.tags,
    apns: config.apns && {
      keyId: config.apns.keyId,
      teamId: config.apns.teamId,
      bundleId: config.apns.bundleId,
      environment: config.apns.environment,
      token: secretInput(config.apns.token),
    },
    fcmV1: config.fcmV1 && {
      projectId: config.fcmV1.projectId,
      clientEmail: config.fcmV1.clientEmail,
      privateKey: secretInput(config.fcmV1.privateKey),
    },
  });

  // The link waits for ACS, the hub and the Send rule through its inputs, reads the rule's key
  // itself when it links, and re-links when that key is regenerated.
  const link = new NotificationHubLink(name, {
    communicationServiceId: acs.id,
    notificationHubId: hub.hubId,
    authorizationRuleId: hub.sendRuleId,
  });

  // Event Grid → push sender (or the team's webhook); "none" relies on the hub link alone.
  const delivery =
    config.delivery.mode === "none"
      ? undefined
      : new PushDelivery(name, {
          resourceGroupName,
          location: config.location,
          globalNamePrefix: config.namePrefix,
          communicationServiceId: acs.id,
          hubName: hub.hubName,
          hubSendRuleId: hub.sendRuleId,
          hubRegistrationRuleId: hub.registrationRuleId,
          eventTypes: config.delivery.eventTypes,
          existingSystemTopic: config.delivery.existingSystemTopic && {
            name: config.delivery.existingSystemTopic.name,
            resourceGroupName: config.delivery.existingSystemTopic.resourceGroupName ?? resourceGroupName,
          },
          tags: config.tags,
          chatPush: config.delivery.chatPush,
          delivery:
            config.delivery.mode === "function"
              ? {
                  mode: "function",
                  functionPackage: functionPackage(),
                  platforms: [...(config.apns ? (["apple"] as const) : []), ...(config.fcmV1 ? (["fcmv1"] as const) : [])],
                  messagePreview: config.delivery.messagePreview,
                  nodeVersion: config.delivery.nodeVersion,
                  maxInstances: config.delivery.maxInstances,
                  instanceMemoryMb: config.delivery.instanceMemoryMb,
                  registration: config.delivery.registration,
                  hubSku: config.hubSku,
                }
              : { mode: "webhook", webhookUrl: secretInput(config.delivery.webhookUrl) },
        });

  // Alerts before users notice; off unless the stack enables them (dev does not).
  if (config.alerts.enabled) {
    new PushAlerts(name, {
      resourceGroupName,
      location: config.location,
      hubId: hub.hubId,
      eventGridSystemTopicId: delivery?.systemTopicId,
      applicationInsightsId: delivery?.applicationInsightsId,
      emails: config.alerts.emails,
      webhookUrl: config.alerts.webhookUrl && secretInput(config.alerts.webhookUrl),
      tags: config.tags,
    });
  }

  // The delivery dashboard, wherever the push sender writes its ledger.
  const dashboard =
    delivery?.applicationInsightsId &&
    new PushDashboard(name, {
      resourceGroupName,
      location: config.location,
      applicationInsightsId: delivery.applicationInsightsId,
      displayName: `Push delivery (${pulumi.getStack()})`,
      tags: config.tags,
    });

  return {
    acsName: acs.name,
    acsId: acs.id,
    acsHostName: acs.hostName,
    hubNamespace: hub.namespaceName,
    hubName: hub.hubName,
    hubId: hub.hubId,
    /** The APNs gateway the hub uses (production or sandbox); what the doctor expects to find. */
    apnsEnvironment: config.apns?.environment,
    linkedNotificationHubId: link.linkedNotificationHubId,
    linkedConnectionStringFingerprint: link.connectionStringFingerprint,
    /** Where the doctor's test send reads the Send key, with the operator's own identity (no key is an output). */
    hubSendRuleId: hub.sendRuleId,
    hubSendRuleName: hub.sendRule.name,
    hubRegistrationRuleName: hub.registrationRule.name,
    registrationEndpoint:
      delivery?.functionApp && config.delivery.mode === "function" && config.delivery.registration
        ? pulumi.interpolate`https://${delivery.functionApp.defaultHostName}/api/installations/{installationId}`
        : undefined,
    pushFunctionAppName: delivery?.functionAppName,
    pushFunctionAppId: delivery?.functionApp?.id,
    eventGridSystemTopicId: delivery?.systemTopicId,
    applicationInsightsId: delivery?.applicationInsightsId,
    /** The Azure Monitor workbook of push delivery (portal: Application Insights → Workbooks). */
    deliveryWorkbookId: dashboard ? dashboard.workbook.id : undefined,
    eventSubscriptionName: delivery?.subscription.name,
    deadLetterStorageAccount: delivery?.storageAccount.name,
    deadLetterContainerUrl: delivery?.deadLetterContainerUrl,
  };
}

export = stackProgram;
