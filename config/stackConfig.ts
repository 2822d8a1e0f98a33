/**
 * The pure function that turns raw `Pulumi.<stack>.yaml` values into the typed configuration
 * (stackConfigTypes.ts): the general settings here, each topic in its own file (platform
 * credentials, delivery, alerts), every problem collected in one pass. Nothing here talks to
 * Pulumi: the edge reader (`readStackConfig.ts`) hands in what it read, so every rule is
 * testable on its own.
 */
import { readAlerts } from "./alertsConfig";
import { readDelivery } from "./deliveryConfig";
import { readApps } from "./appsConfig";
import { describe, key, nearest, ProblemList, readChoice, readObject, readString } from "./readerKit";
import {
  CONFIG_NAMESPACE,
  type ConfigProblem,
  DATA_LOCATIONS,
  HUB_SKUS,
  KNOWN_KEYS,
  type RawStackConfig,
  READER_NAMESPACES,
  REQUIRED_TAGS,
  SECRET_KEYS,
  type StackConfig,
} from "./stackConfigTypes";
import { RESOURCE_GROUP_NAME } from "../azure/armResourceId";

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

// Azure names built from the prefix must start with a letter and stay short enough for the
// namespace limit (50) once the component suffix and Pulumi's random suffix are added (and for
// the 24-character storage account and key vault names, whose suffix is a hash).
const NAME_PREFIX = /^[a-z][a-z0-9-]{1,14}[a-z0-9]$/;

const AZURE_LOCATION = /^[a-z][a-z0-9]+$/;

const TAG_KEY_FORBIDDEN = /[<>%&\\?/]/;

// Azure Resource Manager limits (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations).
const MAX_TAGS = 50;

const MAX_STORAGE_TAG_NAME = 128;

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
    // A misspelt reader's namespace (azure-nativ:location) means that reader; else this project's.
    const namespaceMeant = nearest(namespace, [CONFIG_NAMESPACE, ...READER_NAMESPACES]);
    const meant =
      namespaceMeant && namespaceMeant !== CONFIG_NAMESPACE
        ? `${namespaceMeant}:${name}`
        : (KNOWN_KEYS as readonly string[]).includes(name)
          ? key(name)
          : undefined;
    problems.addFullKey(
      fullKey,
      `is read by nobody: '${namespace}' is neither this project's namespace (${CONFIG_NAMESPACE}) nor one of ${READER_NAMESPACES.join(", ")}` +
        (meant ? `; did you mean ${meant}?` : "; remove it or move it to the right namespace."),
    );
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
          RESOURCE_GROUP_NAME,
          "the name of an existing resource group (1-90 letters, digits, . _ - ( ), not ending in .)",
        );
  const tags = readTags(problems, raw.values.tags);
  const dataLocation = readChoice(problems, "dataLocation", raw.values.dataLocation, DATA_LOCATIONS, undefined);
  const hubSku = readChoice(problems, "hubSku", raw.values.hubSku, HUB_SKUS, "Free");
  const delivery = readDelivery(problems, raw);
  const alerts = readAlerts(problems, raw);
  // Read even when the tier or delivery is wrong, so the apps' own problems are listed in the same pass.
  const apps = readApps(problems, raw, { hubSku: hubSku ?? "Free", messagePreview: delivery?.messagePreview ?? false });
  if (
    problems.items.length > 0 ||
    !location ||
    !namePrefix ||
    !tags ||
    !dataLocation ||
    !hubSku ||
    !delivery ||
    !alerts ||
    !apps
  ) {
    throw new StackConfigError(problems.items);
  }
  // The one-app view: the linked app's tier and credentials.
  const linked = apps.apps.find((a) => a.name === apps.nativeApp)!;
  return {
    location,
    existingResourceGroup,
    namePrefix,
    tags,
    dataLocation,
    hubSku: linked.hubSku,
    apns: linked.apns,
    fcmV1: linked.fcmV1,
    apps: apps.apps,
    nativeApp: apps.nativeApp,
    appsListed: apps.appsListed,
    delivery,
    alerts,
  };
}
