import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import { readStackConfig, secretInput } from "./config/readStackConfig";
import { CommunicationServices } from "./components/communicationServices";
import { createAppHubs, platformsOf, senderAppHubs } from "./components/appHubs";
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

  // One hub per app and partition; the linked app's first partition is `hub`, under the stack's own name.
  const appHubs = createAppHubs(
    name,
    config.apps,
    config.nativeApp,
    {
      resourceGroupName,
      location: config.location,
      tags: config.tags,
    },
    config.appsListed,
  );
  const hub = appHubs[0].hub;
  const severalHubs = appHubs.length > 1;

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
                  platforms: platformsOf(appHubs[0].app),
                  messagePreview: appHubs[0].app.messagePreview,
                  nodeVersion: config.delivery.nodeVersion,
                  maxInstances: config.delivery.maxInstances,
                  instanceMemoryMb: config.delivery.instanceMemoryMb,
                  registration: config.delivery.registration,
                  hubSku: config.hubSku,
                  apps: severalHubs ? senderAppHubs(appHubs) : undefined,
                }
              : { mode: "webhook", webhookUrl: secretInput(config.delivery.webhookUrl) },
        });

  // Alerts before users notice; off unless the stack enables them (dev does not).
  if (config.alerts.enabled) {
    new PushAlerts(name, {
      resourceGroupName,
      location: config.location,
      hubId: hub.hubId,
      additionalHubs: appHubs.slice(1).map(({ app, partition, hub: h }) => ({
        label: `${app.name}-p${partition}`,
        hubId: h.hubId,
        platforms: platformsOf(app),
      })),
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
    /** The app linked to ACS (native calling and chat pushes). */
    nativeApp: config.nativeApp,
    /** Every app's hubs, by partition: what the doctor checks with --app and rebalance moves between. */
    appHubs: appHubs.map(({ app, partition, hub: h }) => ({
      app: app.name,
      partition,
      partitions: app.partitions,
      growingFrom: app.growingFrom,
      hubSku: app.hubSku,
      expectedDevices: app.expectedDevices,
      hubNamespace: h.namespaceName,
      hubName: h.hubName,
      hubId: h.hubId,
      hubSendRuleId: h.sendRuleId,
      apnsEnvironment: app.apns?.environment,
    })),
  };
}

export = stackProgram;
