import * as pulumi from "@pulumi/pulumi";
import { createNotificationHubLinkProvider, LinkProviderOptions } from "./notificationHubLinkProvider";
import { COMPONENT_TYPES, DYNAMIC_TYPE_NAMES } from "../resourceTypes";
import { sharedProvider } from "../sharedProvider";

// One provider object for all resources of this type (see sharedProvider).
const linkProvider = sharedProvider(createNotificationHubLinkProvider);

export interface NotificationHubLinkArgs {
  /** ARM id of the Communication Services resource. */
  readonly communicationServiceId: pulumi.Input<string>;
  /** ARM id of the notification hub; must be in the same subscription. */
  readonly notificationHubId: pulumi.Input<string>;
  /** ARM id of the hub's rule with the Send right: the provider reads its key when it links. */
  readonly authorizationRuleId: pulumi.Input<string>;
}

interface LinkResourceInputs {
  communicationServiceId: pulumi.Input<string>;
  notificationHubId: pulumi.Input<string>;
  authorizationRuleId: pulumi.Input<string>;
  linkedNotificationHubId?: pulumi.Input<string>;
  connectionStringFingerprint?: pulumi.Input<string>;
}

/** The dynamic resource behind the component: ARM's `linkNotificationHub` action with a lifecycle. */
export class NotificationHubLinkAction extends pulumi.dynamic.Resource {
  declare public readonly communicationServiceId: pulumi.Output<string>;
  declare public readonly notificationHubId: pulumi.Output<string>;
  declare public readonly linkedNotificationHubId: pulumi.Output<string>;
  declare public readonly connectionStringFingerprint: pulumi.Output<string>;

  constructor(
    name: string,
    args: NotificationHubLinkArgs,
    opts?: pulumi.CustomResourceOptions,
    providerOptions?: LinkProviderOptions,
  ) {
    const inputs: LinkResourceInputs = {
      communicationServiceId: args.communicationServiceId,
      notificationHubId: args.notificationHubId,
      authorizationRuleId: args.authorizationRuleId,
      linkedNotificationHubId: undefined,
      connectionStringFingerprint: undefined,
    };
    super(linkProvider(providerOptions), name, inputs, opts, undefined, DYNAMIC_TYPE_NAMES.notificationHubLink);
  }
}

/**
 * Links a Communication Services resource to a notification hub, so ACS can deliver calling
 * and chat pushes through it. Re-links when the hub, its rule or the rule's key changes (a
 * regenerated key needs a new link); `pulumi refresh` reads back what ACS is really linked to.
 */
export class NotificationHubLink extends pulumi.ComponentResource {
  public readonly link: NotificationHubLinkAction;
  /** The hub ACS reports as linked. */
  public readonly linkedNotificationHubId: pulumi.Output<string>;
  /** Non-secret fingerprint of the linked connection string, to detect a regenerated key. */
  public readonly connectionStringFingerprint: pulumi.Output<string>;

  constructor(name: string, args: NotificationHubLinkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.notificationHubLink, name, {}, opts);
    this.link = new NotificationHubLinkAction(`${name}-link`, args, { parent: this });
    this.linkedNotificationHubId = this.link.linkedNotificationHubId;
    this.connectionStringFingerprint = this.link.connectionStringFingerprint;
    this.registerOutputs({
      linkedNotificationHubId: this.linkedNotificationHubId,
      connectionStringFingerprint: this.connectionStringFingerprint,
    });
  }
}
