import * as pulumi from "@pulumi/pulumi";
import * as communication from "@pulumi/azure-native/communication";
import { COMPONENT_TYPES } from "./resourceTypes";

export interface CommunicationServicesArgs {
  /** Resource group that holds the ACS resource. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Where ACS stores data at rest (e.g. "Europe"); cannot be changed later. */
  readonly dataLocation: pulumi.Input<string>;
  /** Tags applied to the ACS resource. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The Azure Communication Services resource that chat and calling clients connect to. */
export class CommunicationServices extends pulumi.ComponentResource {
  public readonly service: communication.CommunicationService;
  public readonly id: pulumi.Output<string>;
  public readonly name: pulumi.Output<string>;
  public readonly hostName: pulumi.Output<string>;
  /** The hub ACS is linked to, as ARM reports it; empty until a link is made. */
  public readonly notificationHubId: pulumi.Output<string>;

  constructor(name: string, args: CommunicationServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.communicationServices, name, {}, opts);

    this.service = new communication.CommunicationService(
      `${name}-acs`,
      {
        resourceGroupName: args.resourceGroupName,
        // ACS is a global resource; its data residency is chosen by dataLocation instead.
        location: "global",
        dataLocation: args.dataLocation,
        // A system identity lets ACS reach other resources without stored keys.
        identity: { type: communication.ManagedServiceIdentityType.SystemAssigned },
        tags: args.tags,
      },
      { parent: this },
    );

    this.id = this.service.id;
    this.name = this.service.name;
    this.hostName = this.service.hostName;
    this.notificationHubId = this.service.notificationHubId;
    this.registerOutputs({ id: this.id, name: this.name, hostName: this.hostName });
  }
}
