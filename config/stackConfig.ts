/**
 * The stack's configuration as typed values, and the pure function that turns raw
 * `Pulumi.<stack>.yaml` values into them. Nothing here talks to Pulumi: the edge reader
 * (`readStackConfig.ts`) hands in what it read, so every rule is testable on its own.
 */
import { normalizePemPrivateKey } from "../components/fcmPrivateKey";
import { APNS_CERTIFICATE_FIELDS, APNS_ENVIRONMENTS, ApnsEnvironment } from "../azure/apns";
import { ACS_EVENT_TYPES, CHAT_MESSAGE_EVENTS, FUNCTION_EVENT_TYPES } from "../azure/acsEventTypes";

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

interface DeliveryChoices {
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
  readonly nodeVersion: "20" | "22";
  readonly maxInstances: number;
  readonly instanceMemoryMb: 512 | 2048 | 4096;
  /** Device registration by the app's back end (Entra ID); undefined keeps the endpoint closed. */
  readonly registration?: { readonly audience: string; readonly allowedClientApplications: readonly string[] };
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

export interface StackConfig {
  readonly location: string;
  /** When set, resources go into this existing group and no group is created. */
  readonly existingResourceGroup?: string;
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly dataLocation: string;
  readonly hubSku: HubSku;
  readonly apns?: ApnsConfig;
  readonly fcmV1?: FcmV1Config;
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
export const SECRET_KEYS = ["apnsToken", "fcmPrivateKey", "fcmServiceAccountJson", "webhookUrl", "alertWebhookUrl"] as const;

/** Every key this project reads; anything else in the namespace is a typo worth reporting. */
export const KNOWN_KEYS = [
  "location",
  "existingResourceGroup",
  "namePrefix",
  "tags",
  "dataLocation",
  "hubSku",
  "apns",
  "fcm",
  "delivery",
  "eventTypes",
  "chatPush",
  "messagePreview",
  "functionNodeVersion",
  "functionMaxInstances",
  "functionMemoryMb",
  "alerts",
  "existingEventGridSystemTopic",
  "registration",
  ...SECRET_KEYS,
] as const;

export class StackConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "StackConfigError";
  }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.key}: ${p.message}`);
  return `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;

const APPLE_ID = /^[A-Z0-9]{10}$/;
const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
// A service account id (6-30 lowercase letters, digits, hyphens) at its project's IAM domain.
const SERVICE_ACCOUNT_EMAIL = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;
// Azure names built from the prefix must start with a letter and stay short enough for
// the namespace limit (50) once the component suffix and the random suffix are added.
const NAME_PREFIX = /^[a-z][a-z0-9-]{1,14}[a-z0-9]$/;
const AZURE_LOCATION = /^[a-z][a-z0-9]+$/;
const RESOURCE_GROUP = /^[-\w._()]{1,89}[-\w_()]$/;
const TAG_KEY_FORBIDDEN = /[<>%&\\?/]/;
// Azure Resource Manager limits (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations).
const MAX_TAGS = 50;
const MAX_STORAGE_TAG_NAME = 128;
// Azure Monitor: an action group holds at most 1,000 email receivers; an address is at most 254 characters (RFC 5321).
const MAX_ALERT_EMAILS = 1000;
const MAX_EMAIL_LENGTH = 254;

const PEM_PRIVATE_KEY = /^-----BEGIN PRIVATE KEY-----\s+([A-Za-z0-9+/=\s]+?)\s*-----END PRIVATE KEY-----\s*$/;
const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Turns a .p8 file's contents (PEM, or the body alone) into the single-line base64 body.
 * The hub's `token` field holds the key body; accepting both forms means a user can pipe
 * the file straight into `pulumi config set --secret`. Returns undefined when it is neither.
 */
export function normalizeApnsToken(raw: string): string | undefined {
  const trimmed = raw.trim();
  const pem = PEM_PRIVATE_KEY.exec(trimmed);
  // Stryker disable next-line Regex: equivalent — a global replace of one whitespace character at a time removes the same text.
  const body = (pem ? pem[1] : trimmed).replace(/\s+/g, "");
  return body.length >= 64 && BASE64_BODY.test(body) ? body : undefined;
}

function isPemPrivateKey(raw: string): boolean {
  const pem = PEM_PRIVATE_KEY.exec(normalizePemPrivateKey(raw).trim());
  // Stryker disable next-line Regex: equivalent — a global replace of one whitespace character at a time removes the same text.
  return pem !== null && pem[1].replace(/\s+/g, "").length >= 64;
}

/** Levenshtein distance, for "did you mean" on misspelt keys and namespaces. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidate nearest to a misspelling, if it is near enough to be what was meant. */
function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.candidate.length / 4)) ? best.candidate : undefined;
}

/** Keys nobody reads: unknown names in this namespace, and namespaces that are neither this project's nor a reader's. */
function reportUnreadKeys(problems: ProblemList, raw: RawStackConfig): void {
  for (const name of Object.keys(raw.values)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(name)) {
      const meant = nearest(name, KNOWN_KEYS);
      problems.add(
        name,
        `is not a setting of this project${meant ? `; did you mean ${key(meant)}?` : "."} Known settings: ${KNOWN_KEYS.join(", ")}.`,
      );
    }
  }
  for (const fullKey of raw.otherNamespaceKeys ?? []) {
    const separator = fullKey.indexOf(":");
    const namespace = fullKey.slice(0, separator);
    const name = fullKey.slice(separator + 1);
    if ((READER_NAMESPACES as readonly string[]).includes(namespace)) continue;
    const meant = (KNOWN_KEYS as readonly string[]).includes(name) ? key(name) : undefined;
    problems.addFullKey(
      fullKey,
      `is read by nobody: '${namespace}' is neither this project's namespace (${CONFIG_NAMESPACE}) nor one of ${READER_NAMESPACES.join(", ")}` +
        (meant ? `; did you mean ${meant}?` : "; remove it or move it to the right namespace."),
    );
  }
}

/** Collects problems while reading; each reader returns undefined after reporting one. */
class ProblemList {
  readonly items: ConfigProblem[] = [];
  add(name: string, message: string): undefined {
    this.items.push({ key: key(name), message });
    return undefined;
  }
  addFullKey(fullKey: string, message: string): undefined {
    this.items.push({ key: fullKey, message });
    return undefined;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return `'${value.length > 60 ? value.slice(0, 57) + "..." : value}'`;
  if (value === null) return "null";
  return Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : String(value);
}

function readString(problems: ProblemList, name: string, value: unknown, pattern: RegExp, expected: string): string | undefined {
  if (value === undefined || value === "") return problems.add(name, `is required: ${expected}.`);
  if (typeof value !== "string" || !pattern.test(value)) {
    return problems.add(name, `must be ${expected}; got ${describe(value)}.`);
  }
  return value;
}

function readChoice<T extends string>(
  problems: ProblemList,
  name: string,
  value: unknown,
  choices: readonly T[],
  fallback: T | undefined,
): T | undefined {
  if (value === undefined || value === "") {
    return fallback ?? problems.add(name, `is required: one of ${choices.join(" | ")}.`);
  }
  const match = typeof value === "string" ? choices.find((c) => c.toLowerCase() === value.toLowerCase()) : undefined;
  return match ?? problems.add(name, `must be one of ${choices.join(" | ")}; got ${describe(value)}.`);
}

function readObject(problems: ProblemList, name: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return problems.add(name, `must be an object (YAML mapping); got ${describe(value)}.`);
  }
  return value as Record<string, unknown>;
}

function reportUnknownFields(problems: ProblemList, name: string, obj: Record<string, unknown>, known: string[]) {
  for (const field of Object.keys(obj)) {
    if (!known.includes(field)) {
      problems.add(`${name}.${field}`, `is not a known setting; expected only ${known.join(", ")}.`);
    }
  }
}

function readTags(problems: ProblemList, value: unknown): Record<string, string> | undefined {
  const example = "{ environment: dev, owner: platform-team, costCenter: CC-1234 }";
  if (value === undefined) return problems.add("tags", `is required: an object like ${example}.`);
  const obj = readObject(problems, "tags", value);
  if (!obj) return undefined;
  const tags: Record<string, string> = {};
  for (const required of REQUIRED_TAGS) {
    if (obj[required] === undefined || obj[required] === "") {
      problems.add(`tags.${required}`, `is required: every resource is tagged with ${REQUIRED_TAGS.join(", ")}.`);
    }
  }
  const names = Object.keys(obj);
  if (names.length > MAX_TAGS) {
    // The project adds no tags of its own, so the user's tags are all a resource gets.
    problems.add("tags", `has ${names.length} tags; Azure allows at most ${MAX_TAGS} per resource.`);
  }
  for (const [tagKey, tagValue] of Object.entries(obj)) {
    const shownKey = tagKey.length > 40 ? `${tagKey.slice(0, 37)}...` : tagKey;
    if (typeof tagValue !== "string" && typeof tagValue !== "number") {
      problems.add(`tags.${shownKey}`, `must be a string; got ${describe(tagValue)}.`);
    } else if (tagKey.trim() === "") {
      problems.add("tags", "has an empty tag name; Azure tag names are 1-512 characters.");
    } else if (TAG_KEY_FORBIDDEN.test(tagKey)) {
      problems.add(`tags.${shownKey}`, "is not a valid Azure tag name: none of < > % & \\ ? / may appear in it.");
    } else if (tagKey.length > MAX_STORAGE_TAG_NAME) {
      // Every resource gets every tag, and the push sender's storage account allows only 128.
      problems.add(
        `tags.${shownKey}`,
        `is a ${tagKey.length}-character tag name; at most ${MAX_STORAGE_TAG_NAME} (the storage account limit; other resources allow 512).`,
      );
    } else if (String(tagValue).length > 256) {
      problems.add(`tags.${tagKey}`, "must be at most 256 characters (the Azure tag value limit).");
    } else {
      tags[tagKey] = String(tagValue);
    }
  }
  return tags;
}

function readApns(problems: ProblemList, raw: RawStackConfig): ApnsConfig | undefined {
  const token = raw.secrets.apnsToken;
  const obj = readObject(problems, "apns", raw.values.apns);
  if (!obj) {
    if (token && raw.values.apns === undefined) {
      problems.add("apns", "is required when apnsToken is set: { keyId, teamId, bundleId, environment }.");
    }
    return undefined;
  }
  reportUnknownFields(problems, "apns", obj, ["keyId", "teamId", "bundleId", "environment"]);
  // A hub's certificate-mode fields pasted into the config.
  if (APNS_CERTIFICATE_FIELDS.some((field) => obj[field] !== undefined)) {
    problems.add("apns", "uses certificate authentication, which ACS push does not support: use a .p8 token key.");
  }
  const keyId = readString(
    problems,
    "apns.keyId",
    obj.keyId,
    APPLE_ID,
    "the 10-character Key ID of the APNs auth key (A-Z, 0-9)",
  );
  const teamId = readString(problems, "apns.teamId", obj.teamId, APPLE_ID, "the 10-character Apple Team ID (A-Z, 0-9)");
  const bundleId = readString(problems, "apns.bundleId", obj.bundleId, BUNDLE_ID, "the app's bundle id, like com.contoso.chat");
  const environment = readChoice(problems, "apns.environment", obj.environment, APNS_ENVIRONMENTS, undefined);
  const normalizedToken = readApnsToken(problems, token);
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent — each part missing here was already reported, and validateStackConfig throws on any problem.
  if (!keyId || !teamId || !bundleId || !environment || !normalizedToken) return undefined;
  return { keyId, teamId, bundleId, environment, token: normalizedToken };
}

function readApnsToken(problems: ProblemList, token: SecretValue | undefined): SecretValue | undefined {
  const how = "set it with: pulumi config set --secret acs-notifications:apnsToken < AuthKey_KEYID.p8";
  if (!token) return problems.add("apnsToken", `is required when apns is set; ${how}.`);
  if (token.kind === "opaque") return token;
  const body = normalizeApnsToken(token.value);
  if (!body) {
    return problems.add(
      "apnsToken",
      "must be the contents of an APNs .p8 auth key (-----BEGIN PRIVATE KEY----- …); the value is not shown.",
    );
  }
  return { kind: "plain", value: body };
}

interface ServiceAccount {
  projectId: unknown;
  clientEmail: unknown;
  privateKey: SecretValue;
}

function parseServiceAccount(problems: ProblemList, secret: SecretValue): ServiceAccount | undefined {
  const name = "fcmServiceAccountJson";
  if (secret.kind === "opaque") {
    // The JSON cannot be seen offline; its fields are checked when the stack really runs.
    return { projectId: "opaque-project", clientEmail: "opaque@opaque-project.iam.gserviceaccount.com", privateKey: secret };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret.value);
  } catch {
    return problems.add(
      name,
      "must be the JSON key file of a Firebase service account; it is not valid JSON (the value is not shown).",
    );
  }
  if (typeof parsed !== "object" || parsed === null) {
    return problems.add(name, "must be a JSON object (the service account key file).");
  }
  const sa = parsed as Record<string, unknown>;
  if (sa.type !== "service_account") {
    problems.add(name, `must be a service account key file ("type": "service_account").`);
  }
  const privateKey = typeof sa.private_key === "string" ? sa.private_key : "";
  return { projectId: sa.project_id, clientEmail: sa.client_email, privateKey: { kind: "plain", value: privateKey } };
}

function readFcm(problems: ProblemList, raw: RawStackConfig): FcmV1Config | undefined {
  const json = raw.secrets.fcmServiceAccountJson;
  const privateKeySecret = raw.secrets.fcmPrivateKey;
  const obj = readObject(problems, "fcm", raw.values.fcm);
  if (json && (obj || privateKeySecret)) {
    problems.add("fcmServiceAccountJson", "cannot be combined with fcm / fcmPrivateKey: configure FCM v1 one way only.");
    return undefined;
  }
  let source: ServiceAccount | undefined;
  let prefix: string;
  if (json) {
    source = parseServiceAccount(problems, json);
    prefix = "fcmServiceAccountJson";
  } else if (obj) {
    reportUnknownFields(problems, "fcm", obj, ["projectId", "clientEmail"]);
    if (obj.googleApiKey !== undefined || obj.serverKey !== undefined) {
      problems.add(
        "fcm",
        "holds a legacy FCM server key, which Google shut down in 2024: use FCM v1 service account credentials.",
      );
    }
    if (!privateKeySecret) {
      problems.add(
        "fcmPrivateKey",
        "is required when fcm is set; set it with: pulumi config set --secret acs-notifications:fcmPrivateKey < key.pem.",
      );
      return undefined;
    }
    source = { projectId: obj.projectId, clientEmail: obj.clientEmail, privateKey: privateKeySecret };
    prefix = "fcm";
  } else {
    // (An fcm that is set but not an object was reported above; this is for a missing one.)
    if (privateKeySecret && raw.values.fcm === undefined)
      problems.add("fcm", "is required when fcmPrivateKey is set: { projectId, clientEmail }.");
    return undefined;
  }
  if (!source) return undefined;
  const keyName = (field: string, jsonField: string) => (json ? `${prefix}.${jsonField}` : `${prefix}.${field}`);
  const projectId = readString(
    problems,
    keyName("projectId", "project_id"),
    source.projectId,
    GCP_PROJECT_ID,
    "a Firebase/Google Cloud project id (6-30 lowercase letters, digits, hyphens)",
  );
  const clientEmail = readString(
    problems,
    keyName("clientEmail", "client_email"),
    source.clientEmail,
    SERVICE_ACCOUNT_EMAIL,
    "a service account email ending in .iam.gserviceaccount.com",
  );
  const keyKey = json ? "fcmServiceAccountJson.private_key" : "fcmPrivateKey";
  if (source.privateKey.kind === "plain" && !isPemPrivateKey(source.privateKey.value)) {
    problems.add(keyKey, "must be a PEM private key (-----BEGIN PRIVATE KEY----- …); the value is not shown.");
    return undefined;
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent — each part missing here was already reported, and validateStackConfig throws on any problem.
  if (!projectId || !clientEmail) return undefined;
  const privateKey: SecretValue =
    source.privateKey.kind === "plain"
      ? { kind: "plain", value: normalizePemPrivateKey(source.privateKey.value) }
      : source.privateKey;
  return { projectId, clientEmail, privateKey };
}

function readBoolean(problems: ProblemList, name: string, value: unknown, fallback: boolean): boolean | undefined {
  if (value === undefined || value === "") return fallback;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return problems.add(name, `must be true or false; got ${describe(value)}.`);
}

function readInteger(
  problems: ProblemList,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === "") return fallback;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    return problems.add(name, `must be a whole number from ${min} to ${max}; got ${describe(value)}.`);
  return n;
}

function readEventTypes(
  problems: ProblemList,
  value: unknown,
  mode: DeliveryMode | undefined,
  chatPush: ChatPushPath | undefined,
): string[] | undefined {
  // With native chat push the SDK sends messages; the function still tells people about new conversations.
  const fallback =
    chatPush === "native"
      ? ["Microsoft.Communication.ChatThreadCreatedWithUser", "Microsoft.Communication.ChatParticipantAddedToThreadWithUser"]
      : ["Microsoft.Communication.ChatMessageReceived"];
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== "string")) {
    return problems.add(
      "eventTypes",
      "must be a non-empty list of ACS event types, like [Microsoft.Communication.ChatMessageReceived].",
    );
  }
  const types = value as string[];
  const repeated = [...new Set(types.filter((t, i) => types.indexOf(t) !== i))];
  if (repeated.length > 0) problems.add("eventTypes", `lists ${repeated.join(", ")} more than once; each type once.`);
  const allowed = mode === "function" ? FUNCTION_EVENT_TYPES : ACS_EVENT_TYPES;
  const unknown = types.filter((t) => !allowed.includes(t));
  if (unknown.length > 0) {
    const why = mode === "function" ? "the push sender can push only" : "known ACS event types are";
    problems.add("eventTypes", `has ${unknown.join(", ")}; ${why} ${allowed.join(", ")}.`);
  }
  if (chatPush === "native" && types.some((t) => CHAT_MESSAGE_EVENTS.includes(t))) {
    problems.add(
      "eventTypes",
      "must not include chat-message events when chatPush is native: the ACS SDK already pushes them, and users would get every message twice.",
    );
  }
  return types;
}

function readDelivery(problems: ProblemList, raw: RawStackConfig): PushDeliveryConfig | undefined {
  const mode = readChoice(problems, "delivery", raw.values.delivery, DELIVERY_MODES, "function");
  const chatPush = readChoice(problems, "chatPush", raw.values.chatPush, CHAT_PUSH_PATHS, "function");
  const eventTypes = readEventTypes(problems, raw.values.eventTypes, mode, chatPush);
  const messagePreview = readBoolean(problems, "messagePreview", raw.values.messagePreview, false);
  const nodeVersion = readChoice(
    problems,
    "functionNodeVersion",
    raw.values.functionNodeVersion === undefined ? undefined : String(raw.values.functionNodeVersion),
    ["20", "22"] as const,
    "22",
  );
  // Flex Consumption accepts a maximum instance count from 1 to 1000 (MicrosoftDocs/azure-docs,
  // articles/azure-functions/event-driven-scaling.md, "Limit scale-out"; Azure's own default is 100).
  const maxInstances = readInteger(problems, "functionMaxInstances", raw.values.functionMaxInstances, 40, 1, 1000);
  const memory = readChoice(
    problems,
    "functionMemoryMb",
    raw.values.functionMemoryMb === undefined ? undefined : String(raw.values.functionMemoryMb),
    ["512", "2048", "4096"] as const,
    "2048",
  );
  const webhookUrl = raw.secrets.webhookUrl;
  if (mode === "webhook") {
    if (!webhookUrl)
      problems.add(
        "webhookUrl",
        "is required when delivery is webhook; set it with: pulumi config set --secret acs-notifications:webhookUrl https://…",
      );
    else if (webhookUrl.kind === "plain" && !/^https:\/\/[^\s/]+/.test(webhookUrl.value))
      problems.add("webhookUrl", "must be an https URL (the value is not shown).");
  } else if (webhookUrl) {
    problems.add("webhookUrl", `is only used when delivery is webhook; delivery is ${mode}.`);
  }
  const existingSystemTopic = readExistingSystemTopic(problems, raw.values.existingEventGridSystemTopic, mode);
  const registration = readRegistration(problems, raw.values.registration, mode);
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent — each part missing here was already reported, and validateStackConfig throws on any problem.
  if (!mode || !chatPush || !eventTypes || messagePreview === undefined || !nodeVersion || !maxInstances || !memory)
    return undefined;
  const choices: DeliveryChoices = { eventTypes, chatPush, messagePreview, existingSystemTopic };
  switch (mode) {
    case "function":
      return {
        mode,
        ...choices,
        nodeVersion,
        maxInstances,
        instanceMemoryMb: Number(memory) as 512 | 2048 | 4096,
        registration,
      };
    case "webhook":
      // Reported above when missing, so a config without it never gets here.
      return webhookUrl ? { mode, ...choices, webhookUrl } : undefined;
    case "none":
      return { mode, ...choices };
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who may register devices: the back end's client ids, and the application its tokens are for. */
function readRegistration(
  problems: ProblemList,
  value: unknown,
  mode: DeliveryMode | undefined,
): FunctionDeliveryConfig["registration"] {
  const name = "registration";
  const obj = readObject(problems, name, value);
  if (!obj) return undefined;
  if (mode !== "function") {
    problems.add(
      name,
      `is only used when delivery is function (the endpoint lives in the push sender); delivery is ${mode ?? "invalid"}.`,
    );
    return undefined;
  }
  reportUnknownFields(problems, name, obj, ["audience", "allowedClientApplications"]);
  const audience = readString(
    problems,
    `${name}.audience`,
    obj.audience,
    GUID,
    "the client id (GUID) of the Entra ID application the back end requests tokens for",
  );
  const clients = obj.allowedClientApplications;
  if (
    !Array.isArray(clients) ||
    clients.length === 0 ||
    clients.length > 20 ||
    clients.some((c) => typeof c !== "string" || !GUID.test(c))
  ) {
    problems.add(
      `${name}.allowedClientApplications`,
      "must list 1-20 client ids (GUIDs) of the back ends allowed to register devices.",
    );
    return undefined;
  }
  return audience ? { audience, allowedClientApplications: clients as string[] } : undefined;
}

// Event Grid system topic names: 3-128 letters, digits and hyphens.
const SYSTEM_TOPIC_NAME = /^[A-Za-z0-9-]{3,128}$/;

/** Azure allows one system topic per source: a stack whose ACS resource already has one names it here. */
function readExistingSystemTopic(
  problems: ProblemList,
  value: unknown,
  mode: DeliveryMode | undefined,
): PushDeliveryConfig["existingSystemTopic"] {
  const name = "existingEventGridSystemTopic";
  const obj = readObject(problems, name, value);
  if (!obj) return undefined;
  if (mode === "none") {
    problems.add(name, "is only used when delivery is function or webhook; delivery is none.");
    return undefined;
  }
  reportUnknownFields(problems, name, obj, ["name", "resourceGroupName"]);
  const topic = readString(
    problems,
    `${name}.name`,
    obj.name,
    SYSTEM_TOPIC_NAME,
    "the system topic's name (3-128 letters, digits, hyphens)",
  );
  const resourceGroupName =
    obj.resourceGroupName === undefined
      ? undefined
      : readString(problems, `${name}.resourceGroupName`, obj.resourceGroupName, RESOURCE_GROUP, "a resource group name");
  return topic ? { name: topic, resourceGroupName } : undefined;
}

// RFC 5322's dot-atom local part at a DNS host name: what Azure Monitor's email receivers take.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;

function readEmails(problems: ProblemList, list: readonly unknown[]): string[] {
  if (list.length > MAX_ALERT_EMAILS) {
    problems.add("alerts.emails", `has ${list.length} addresses; an action group takes at most ${MAX_ALERT_EMAILS}.`);
  }
  const seen = new Set<string>();
  list.forEach((e, i) => {
    if (typeof e !== "string" || e.length > MAX_EMAIL_LENGTH || !EMAIL.test(e)) {
      problems.add(
        `alerts.emails[${i}]`,
        `must be an email address of at most ${MAX_EMAIL_LENGTH} characters; got ${describe(e)}.`,
      );
    } else if (seen.has(e.toLowerCase())) {
      problems.add(`alerts.emails[${i}]`, `repeats ${describe(e)}; each address once.`);
    } else {
      seen.add(e.toLowerCase());
    }
  });
  // Stryker disable next-line MethodExpression,ConditionalExpression: equivalent — a list with a non-string entry was reported above, so validation throws.
  return list.filter((e): e is string => typeof e === "string");
}

function readAlerts(problems: ProblemList, raw: RawStackConfig): AlertsConfig | undefined {
  const webhook = raw.secrets.alertWebhookUrl;
  if (webhook?.kind === "plain" && !/^https:\/\/[^\s/]+/.test(webhook.value))
    problems.add("alertWebhookUrl", "must be an https URL (the value is not shown).");
  if (raw.values.alerts === undefined) {
    if (webhook) problems.add("alertWebhookUrl", "is only used when alerts.enabled is true.");
    return { enabled: false, emails: [] };
  }
  const obj = readObject(problems, "alerts", raw.values.alerts);
  if (!obj) return undefined;
  reportUnknownFields(problems, "alerts", obj, ["enabled", "emails"]);
  const enabled = readBoolean(problems, "alerts.enabled", obj.enabled, false);
  let emails: string[] = [];
  if (obj.emails !== undefined) {
    if (!Array.isArray(obj.emails)) {
      problems.add("alerts.emails", `must be a list of email addresses; got ${describe(obj.emails)}.`);
    } else {
      emails = readEmails(problems, obj.emails as unknown[]);
    }
  }
  if (enabled && emails.length === 0 && !webhook) {
    problems.add("alerts", "enables alerts without a receiver: add alerts.emails or set alertWebhookUrl (secret).");
  }
  // Stryker disable next-line ConditionalExpression: equivalent — each part missing here was already reported, and validateStackConfig throws on any problem.
  if (enabled === undefined) return undefined;
  return { enabled, emails, webhookUrl: webhook };
}

/**
 * Validates everything at once, so a user fixes a stack file in one pass. Throws
 * {@link StackConfigError} listing every problem; messages name the key and the expected
 * form and never contain a secret value.
 */
export function validateStackConfig(raw: RawStackConfig): StackConfig {
  const problems = new ProblemList();
  reportUnreadKeys(problems, raw);
  for (const name of raw.encryptedPlainKeys ?? []) {
    // Pulumi decrypts a nested `secure:` and marks the whole key secret; this setting is not one,
    // so its value would end up in plain resource properties. Secrets have their own keys.
    problems.add(
      name,
      `is encrypted (a secure: value, perhaps nested), but it is a plain setting: set it without --secret; the secrets go in ${SECRET_KEYS.join(", ")}.`,
    );
  }
  for (const name of raw.plaintextSecretKeys) {
    problems.add(name, `holds a secret in plain text: remove it and set it again with pulumi config set --secret ${key(name)}.`);
  }
  const location = readString(problems, "location", raw.values.location, AZURE_LOCATION, "an Azure region name like westeurope");
  const namePrefix = readString(
    problems,
    "namePrefix",
    raw.values.namePrefix,
    NAME_PREFIX,
    "3-16 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen",
  );
  const existingResourceGroup =
    raw.values.existingResourceGroup === undefined
      ? undefined
      : readString(
          problems,
          "existingResourceGroup",
          raw.values.existingResourceGroup,
          RESOURCE_GROUP,
          "the name of an existing resource group (1-90 letters, digits, . _ - ( ), not ending in .)",
        );
  const tags = readTags(problems, raw.values.tags);
  const dataLocation = readChoice(problems, "dataLocation", raw.values.dataLocation, DATA_LOCATIONS, undefined);
  const hubSku = readChoice(problems, "hubSku", raw.values.hubSku, HUB_SKUS, "Free");
  const apns = readApns(problems, raw);
  const fcmV1 = readFcm(problems, raw);
  const delivery = readDelivery(problems, raw);
  const alerts = readAlerts(problems, raw);
  const anyPlatform =
    raw.values.apns !== undefined ||
    raw.values.fcm !== undefined ||
    raw.secrets.fcmServiceAccountJson !== undefined ||
    (raw.encryptedPlainKeys ?? []).some((k) => k === "apns" || k === "fcm");
  if (!anyPlatform) {
    problems.add("apns", "or fcm (or fcmServiceAccountJson) is required: configure at least one push platform.");
  }
  if (problems.items.length > 0 || !location || !namePrefix || !tags || !dataLocation || !hubSku || !delivery || !alerts) {
    throw new StackConfigError(problems.items);
  }
  return { location, existingResourceGroup, namePrefix, tags, dataLocation, hubSku, apns, fcmV1, delivery, alerts };
}
