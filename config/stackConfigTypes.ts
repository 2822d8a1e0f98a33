/** The stack's configuration: its typed form, the raw form the edge reader hands in, and the keys it knows. */
import { type ApnsEnvironment } from "../azure/apns";
import { CONFIG_REFERENCE } from "./configReference";
import type { FunctionNodeVersion } from "../function/src/contract";

/** The Pulumi config namespace: `pulumi config set acs-notifications:<key>`. */
export const CONFIG_NAMESPACE = "acs-notifications";

/** Notification Hubs namespace SKUs. */
export const HUB_SKUS = ["Free", "Basic", "Standard"] as const;

export type HubSku = (typeof HUB_SKUS)[number];

/** ACS data locations accepted by `Microsoft.Communication/communicationServices`. */
export const DATA_LOCATIONS = [
  "Africa",
  "Asia Pacific",
  "Australia",
  "Brazil",
  "Canada",
  "Europe",
  "France",
  "Germany",
  "India",
  "Japan",
  "Korea",
  "Norway",
  "Switzerland",
  "UAE",
  "UK",
  "United States",
] as const;

/** Tag keys every resource must carry so cost and ownership reports work. */
export const REQUIRED_TAGS = ["environment", "owner", "costCenter"] as const;

/**
 * A secret value as the edge reader saw it. `opaque` marks a secret that exists but whose
 * content cannot be seen (an offline plan of an encrypted `secure:` value, or one that an
 * imported ESC environment provides): it counts as present, and its format is not checked.
 */
export type SecretValue = { kind: "plain"; value: string } | { kind: "opaque" };

export interface ApnsConfig {
  /** 10-character key id of the APNs auth key (.p8). */
  readonly keyId: string;
  /** 10-character Apple Developer Team ID (the `appId` of the hub credential). */
  readonly teamId: string;
  /** The app's bundle id (the `appName` of the hub credential). */
  readonly bundleId: string;
  /** Which APNs gateway the hub talks to. */
  readonly environment: ApnsEnvironment;
  /** The .p8 key body, normalized to the single-line base64 form the hub stores. */
  readonly token: SecretValue;
}

export interface FcmV1Config {
  readonly projectId: string;
  readonly clientEmail: string;
  /** The service account's PEM private key. */
  readonly privateKey: SecretValue;
}

/** How ACS events become pushes besides the hub link: the push-sender Function, a webhook of the team's, or not at all. */
export const DELIVERY_MODES = ["function", "webhook", "none"] as const;

export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** Who pushes chat messages: the Function (from Event Grid) or the ACS SDK natively through the linked hub. */
export const CHAT_PUSH_PATHS = ["function", "native"] as const;

export type ChatPushPath = (typeof CHAT_PUSH_PATHS)[number];

export interface DeliveryChoices {
  readonly eventTypes: readonly string[];
  readonly chatPush: ChatPushPath;
  /** Put message text in notifications (personal data). */
  readonly messagePreview: boolean;
  /** An Event Grid system topic already on the ACS resource, used instead of creating one. */
  readonly existingSystemTopic?: { readonly name: string; readonly resourceGroupName?: string };
}

/** The push-sender Function and its hosting. */
export interface FunctionDeliveryConfig extends DeliveryChoices {
  readonly mode: "function";
  readonly nodeVersion: FunctionNodeVersion;
  readonly maxInstances: number;
  readonly instanceMemoryMb: 512 | 2048 | 4096;
  /** Device registration by the app's back end (Entra ID); undefined keeps the endpoint closed. */
  readonly registration?: {
    readonly audience: string;
    readonly allowedClientApplications: readonly string[];
    /** The access token version the audience's app registration issues; absent: 1 (a new registration's default). */
    readonly accessTokenVersion?: 2;
  };
}

/** The team's own endpoint, which Event Grid posts to. */
export interface WebhookDeliveryConfig extends DeliveryChoices {
  readonly mode: "webhook";
  readonly webhookUrl: SecretValue;
}

/** The hub link alone: no Event Grid subscription. */
export interface NoDeliveryConfig extends DeliveryChoices {
  readonly mode: "none";
}

export type PushDeliveryConfig = FunctionDeliveryConfig | WebhookDeliveryConfig | NoDeliveryConfig;

export interface AlertsConfig {
  readonly enabled: boolean;
  readonly emails: readonly string[];
  readonly webhookUrl?: SecretValue;
}

/** The name the one-app form (top-level apns / fcm keys) gives its app. */
export const ONE_APP_NAME = "default";

/** Partitions an app may have: each is a Notification Hubs namespace of its own. */
export const MAX_PARTITIONS = 16;

/** Apps a stack may have. */
export const MAX_APPS = 10;

/**
 * One mobile app: its own hub per partition (one namespace each), with its credentials. An iOS
 * bundle id and a Firebase project belong to one app, and a hub holds the credentials of one.
 */
export interface AppConfig {
  readonly name: string;
  readonly apns?: ApnsConfig;
  readonly fcmV1?: FcmV1Config;
  readonly hubSku: HubSku;
  /** Hubs (namespaces) the app's devices are spread over, by user (function/src/partitions.ts). */
  readonly partitions: number;
  /** While growing: the partition count before; the sender reaches both a moved user's old and new partition. */
  readonly growingFrom?: number;
  /** Devices the app expects: the plan and the policy pack warn when its hubs cannot hold them. */
  readonly expectedDevices?: number;
  /** Put message text in this app's notifications. */
  readonly messagePreview: boolean;
}

export interface StackConfig {
  readonly location: string;
  /** When set, resources go into this existing group and no group is created. */
  readonly existingResourceGroup?: string;
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly dataLocation: string;
  /** The linked (native) app's tier and credentials: the one-app form's view of {@link apps}. */
  readonly hubSku: HubSku;
  readonly apns?: ApnsConfig;
  readonly fcmV1?: FcmV1Config;
  /** Every app, the one-app form included (named {@link ONE_APP_NAME}). */
  readonly apps: readonly AppConfig[];
  /** The app whose hub (its first partition) is linked to ACS: native calling and chat pushes reach it alone. */
  readonly nativeApp: string;
  /** True when the apps come from the `apps` list (not the one-app keys): their partition counts are kept in state. */
  readonly appsListed: boolean;
  readonly delivery: PushDeliveryConfig;
  readonly alerts: AlertsConfig;
}

/** One problem with one key; `key` is the full `namespace:key` a user types. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

/** Everything the edge reader found for this project's namespace. */
export interface RawStackConfig {
  /** Non-secret values; objects already parsed from their JSON form. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Secret values by key. */
  readonly secrets: Readonly<Record<string, SecretValue>>;
  /** Keys holding a value that was NOT set with `--secret` although it must be. */
  readonly plaintextSecretKeys: readonly string[];
  /** Keys of plain settings whose value is encrypted, wholly or in a nested `secure:` field. */
  readonly encryptedPlainKeys?: readonly string[];
  /** Full keys (`namespace:key`) of the stack's config outside this project's namespace. */
  readonly otherNamespaceKeys?: readonly string[];
}

/**
 * Namespaces whose keys are read by someone other than this program: the Pulumi engine
 * (`pulumi:tags`, `pulumi:disable-default-providers`) and the one provider the program uses
 * (`azure-native:location`, `azure-native:subscriptionId`, …). A key in any other namespace is
 * read by nobody — usually a misspelt `acs-notifications` — and its default would apply silently.
 */
export const READER_NAMESPACES = ["pulumi", "azure-native"] as const;

/** Keys that may only hold secrets; anything else is plain configuration. */
export const SECRET_KEYS = [
  "apnsToken",
  "fcmPrivateKey",
  "fcmServiceAccountJson",
  "appSecrets",
  "webhookUrl",
  "alertWebhookUrl",
] as const;

/** Every key this project reads; anything else in the namespace is a typo worth reporting. */
export const KNOWN_KEYS: readonly string[] = CONFIG_REFERENCE.map((entry) => entry.key);
