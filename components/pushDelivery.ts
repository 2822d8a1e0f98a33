import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import { storageAccountName } from "../azure/globalNames";
import { FunctionCodeDeployment } from "./pushSender/functionCodeDeployment";
import { FunctionDelivery, PushSenderFunction } from "./pushSender/pushSenderFunction";
import { assignRole } from "./roleAssignment";
import { COMPONENT_TYPES } from "./resourceTypes";

export const ACS_TOPIC_TYPE = "Microsoft.Communication.CommunicationServices";
const DEAD_LETTER_CONTAINER = "dead-letter";

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
  /** ARM id of the hub's Send-only rule: its key is written into Key Vault by the deploying process, never into an app setting. */
  readonly hubSendRuleId: pulumi.Input<string>;
  /** ARM id of the Listen-only rule device registration uses; its key goes to Key Vault the same way. */
  readonly hubRegistrationRuleId?: pulumi.Input<string>;
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
    const deadLetterRole = assignRole(
      `${name}-topic-dead-letter`,
      {
        scope: this.storageAccount.id,
        principalId: topicPrincipal,
        role: "storageBlobDataContributor",
        subscriptionId: client.subscriptionId,
      },
      parent,
    );

    let destination: eventgrid.SystemTopicEventSubscriptionArgs["destination"];
    const subscriptionDependsOn: pulumi.Resource[] = [deadLetterRole];
    // One event per delivery. The Functions Event Grid extension fails a whole batch when one event
    // fails, and Event Grid then re-sends every event in it: the ones already pushed would push
    // again, often on another instance whose de-duplication memory has never seen them.
    const batching = { maxEventsPerBatch: 1, preferredBatchSizeInKilobytes: 64 };

    if (args.delivery.mode === "function") {
      const sender = new PushSenderFunction(
        name,
        {
          ...args.delivery,
          resourceGroupName: args.resourceGroupName,
          resourceGroupId,
          location: args.location,
          globalNamePrefix: args.globalNamePrefix,
          client,
          storageAccount: this.storageAccount,
          deadLetterContainerUrl: this.deadLetterContainerUrl,
          hubName: args.hubName,
          hubSendRuleId: args.hubSendRuleId,
          hubRegistrationRuleId: args.hubRegistrationRuleId,
          chatPush,
          tags: args.tags,
        },
        { parent: this },
      );
      this.functionApp = sender.app;
      this.appSettings = sender.appSettings;
      this.authSettings = sender.authSettings;
      this.codeDeployment = sender.codeDeployment;
      this.keyVault = sender.keyVault;
      this.functionAppName = sender.functionAppName;
      this.applicationInsightsId = sender.applicationInsightsId;
      subscriptionDependsOn.push(sender.codeDeployment);
      destination = { endpointType: "AzureFunction", resourceId: sender.eventGridDestination, ...batching };
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
