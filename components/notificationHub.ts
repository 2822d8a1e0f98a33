import * as pulumi from "@pulumi/pulumi";
import { normalizePemPrivateKey } from "./fcmPrivateKey";
import { apnsEndpointFor, ApnsEnvironment } from "../azure/apns";
import * as notificationhubs from "@pulumi/azure-native/notificationhubs";
import { COMPONENT_TYPES } from "./resourceTypes";

/** APNs in token (.p8) mode: the only APNs mode ACS can push through. */
export interface ApnsTokenCredentialArgs {
  /** 10-character key id of the .p8 auth key. */
  readonly keyId: pulumi.Input<string>;
  /** 10-character Apple Team ID. */
  readonly teamId: pulumi.Input<string>;
  /** The app's bundle id. */
  readonly bundleId: pulumi.Input<string>;
  /** APNs gateway: sandbox for development builds, production for TestFlight and App Store builds. */
  readonly environment: ApnsEnvironment;
  /** The .p8 key body. */
  readonly token: pulumi.Input<string>;
}

export interface FcmV1CredentialArgs {
  readonly projectId: pulumi.Input<string>;
  readonly clientEmail: pulumi.Input<string>;
  /** The service account's PEM private key. */
  readonly privateKey: pulumi.Input<string>;
}

export interface NotificationHubArgs {
  /** Resource group that holds the namespace. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region of the namespace. */
  readonly location: pulumi.Input<string>;
  /** Namespace SKU. Default: "Free". */
  readonly sku?: pulumi.Input<"Free" | "Basic" | "Standard">;
  /** APNs token credentials. Default: no iOS push. */
  readonly apns?: ApnsTokenCredentialArgs;
  /** FCM v1 credentials. Default: no Android push. */
  readonly fcmV1?: FcmV1CredentialArgs;
  /** Tags applied to the namespace and hub. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Which app and partition this hub serves, registered on the component for the policy pack (hub
   * capacity per app, one linked app). Default: none.
   */
  readonly placement?: HubPlacement;
}

/** An app partition's place among the app's hubs. */
export interface HubPlacement {
  readonly app: string;
  readonly partition: number;
  readonly partitions: number;
  /** The devices the app expects across all its partitions. */
  readonly expectedDevices?: number;
  /** Whether ACS is linked to this hub (the linked app's first partition). */
  readonly linked: boolean;
}

/**
 * A Notification Hubs namespace and hub with APNs (token mode) and FCM v1 credentials, plus a
 * dedicated Send-only access policy whose connection string is what ACS is linked with.
 * No key is read here: the rules' keys are read by the providers that need them (the link, the
 * Key Vault secrets), with the deploying identity, so none is in the program, its plan or state.
 */
export class NotificationHub extends pulumi.ComponentResource {
  public readonly namespace: notificationhubs.Namespace;
  public readonly hub: notificationhubs.NotificationHub;
  public readonly sendRule: notificationhubs.NotificationHubAuthorizationRule;
  public readonly namespaceName: pulumi.Output<string>;
  public readonly hubName: pulumi.Output<string>;
  public readonly hubId: pulumi.Output<string>;
  /** ARM id of the Send-only rule (the link's and the push sender's key). */
  public readonly sendRuleId: pulumi.Output<string>;
  /** The Listen-only rule device registration uses (installations); never linked to ACS. */
  public readonly registrationRule: notificationhubs.NotificationHubAuthorizationRule;
  /** ARM id of the registration rule. */
  public readonly registrationRuleId: pulumi.Output<string>;

  constructor(name: string, args: NotificationHubArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.notificationHub, name, args.placement ? { ...args.placement, sku: args.sku ?? "Free" } : {}, opts);
    if (!args.apns && !args.fcmV1) {
      // ACS refuses to push through a hub without platform credentials (troubleshooting case 2).
      throw new pulumi.ResourceError(
        "NotificationHub needs apns or fcmV1 credentials: a hub without any cannot deliver pushes.",
        this,
      );
    }

    this.namespace = new notificationhubs.Namespace(
      `${name}-ns`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        namespaceType: notificationhubs.NamespaceType.NotificationHub,
        sku: { name: args.sku ?? "Free" },
        tags: args.tags,
      },
      { parent: this },
    );

    this.hub = new notificationhubs.NotificationHub(
      `${name}-hub`,
      {
        resourceGroupName: args.resourceGroupName,
        namespaceName: this.namespace.name,
        location: args.location,
        apnsCredential: args.apns && apnsTokenCredential(args.apns),
        fcmV1Credential: args.fcmV1 && fcmV1Credential(args.fcmV1),
        tags: args.tags,
      },
      // The provider returns credentials in plain text; keep them secret in state.
      { parent: this, additionalSecretOutputs: ["apnsCredential", "fcmV1Credential"] },
    );

    this.sendRule = new notificationhubs.NotificationHubAuthorizationRule(
      `${name}-send`,
      {
        resourceGroupName: args.resourceGroupName,
        namespaceName: this.namespace.name,
        notificationHubName: this.hub.name,
        // Send only: ACS and the push sender never need to read registrations or manage the hub.
        rights: [notificationhubs.AccessRights.Send],
      },
      { parent: this, additionalSecretOutputs: ["primaryKey", "secondaryKey"] },
    );

    // Installations (create, update, delete) need Listen and nothing else. A separate rule keeps the
    // link's key Send-only and lets either key be rotated without touching the other.
    this.registrationRule = new notificationhubs.NotificationHubAuthorizationRule(
      `${name}-register`,
      {
        resourceGroupName: args.resourceGroupName,
        namespaceName: this.namespace.name,
        notificationHubName: this.hub.name,
        rights: [notificationhubs.AccessRights.Listen],
      },
      { parent: this, additionalSecretOutputs: ["primaryKey", "secondaryKey"] },
    );
    this.sendRuleId = this.sendRule.id;
    this.registrationRuleId = this.registrationRule.id;

    this.namespaceName = this.namespace.name;
    this.hubName = this.hub.name;
    this.hubId = this.hub.id;
    this.registerOutputs({
      namespaceName: this.namespaceName,
      hubName: this.hubName,
      hubId: this.hubId,
      sendRuleId: this.sendRuleId,
      registrationRuleId: this.registrationRuleId,
    });
  }
}

/** Token-mode fields only: certificate fields are never set, so the hub cannot fall back to them. */
function apnsTokenCredential(apns: ApnsTokenCredentialArgs): notificationhubs.NotificationHubArgs["apnsCredential"] {
  return {
    keyId: apns.keyId,
    appId: apns.teamId,
    appName: apns.bundleId,
    endpoint: apnsEndpointFor(apns.environment),
    token: pulumi.secret(apns.token),
  };
}

function fcmV1Credential(fcm: FcmV1CredentialArgs): notificationhubs.NotificationHubArgs["fcmV1Credential"] {
  return {
    projectId: fcm.projectId,
    clientEmail: fcm.clientEmail,
    // Normalized here too, so a key pasted with `\n` escapes never reaches the hub in that form.
    privateKey: pulumi.secret(pulumi.output(fcm.privateKey).apply(normalizePemPrivateKey)),
  };
}
