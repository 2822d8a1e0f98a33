/**
 * The apps of a stack: the `apps` list (one hub per app and partition) with its secrets in
 * `appSecrets`, or the one-app form (top-level `apns` / `fcm` and their secrets), which is one app
 * named `default`. Every problem is collected at once: names, credentials, duplicates across
 * apps, partitions and growth, and which app the ACS resource links (`nativeApp`).
 */
import { APP_NAME } from "../function/src/contract";
import { readApns, readApnsCredential, readFcm, readFcmCredential } from "./platformCredentials";
import {
  describe,
  ProblemList,
  readBoolean,
  readChoice,
  readInteger,
  readObject,
  readString,
  reportUnknownFields,
} from "./readerKit";
import {
  type AppConfig,
  HUB_SKUS,
  type HubSku,
  MAX_APPS,
  MAX_PARTITIONS,
  ONE_APP_NAME,
  type RawStackConfig,
  type SecretValue,
} from "./stackConfigTypes";

const APP_FIELDS = ["name", "apns", "fcm", "hubSku", "partitions", "growingFrom", "expectedDevices", "messagePreview"];
const ONE_APP_KEYS = ["apns", "fcm", "apnsToken", "fcmPrivateKey", "fcmServiceAccountJson"];
const SECRET_FIELDS = ["apnsToken", "fcmPrivateKey"];

export interface AppsChoice {
  readonly apps: readonly AppConfig[];
  readonly nativeApp: string;
  readonly appsListed: boolean;
}

/** Per app, its secrets from `appSecrets`: opaque for every app when the object cannot be read here. */
function readAppSecrets(problems: ProblemList, secret: SecretValue | undefined, names: readonly string[]) {
  const none = () => new Map<string, Record<string, SecretValue>>();
  if (!secret) return none();
  if (secret.kind === "opaque") {
    // Unreadable here (an offline plan): present for every app, its content checked when the stack runs.
    return new Map(names.map((n) => [n, { apnsToken: secret, fcmPrivateKey: secret } as Record<string, SecretValue>]));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret.value);
  } catch {
    problems.add("appSecrets", "must be an object { <app>: { apnsToken, fcmPrivateKey } } (the value is not shown).");
    return none();
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    problems.add("appSecrets", "must be an object { <app>: { apnsToken, fcmPrivateKey } } (the value is not shown).");
    return none();
  }
  const result = none();
  for (const [app, value] of Object.entries(parsed as Record<string, unknown>)) {
    const shown = APP_NAME.test(app) ? app : "(an entry)";
    if (!names.includes(app)) {
      problems.add(`appSecrets.${shown}`, `names no app in apps (${names.join(", ") || "none"}).`);
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.add(`appSecrets.${app}`, "must be an object { apnsToken, fcmPrivateKey } (the value is not shown).");
      continue;
    }
    const fields: Record<string, SecretValue> = {};
    for (const [field, text] of Object.entries(value as Record<string, unknown>)) {
      if (!SECRET_FIELDS.includes(field))
        problems.add(
          `appSecrets.${app}.${/^[A-Za-z]{1,32}$/.test(field) ? field : "(a field)"}`,
          `is not known; expected ${SECRET_FIELDS.join(", ")}.`,
        );
      else if (typeof text !== "string") problems.add(`appSecrets.${app}.${field}`, "must be a string (the value is not shown).");
      else fields[field] = { kind: "plain", value: text };
    }
    result.set(app, fields);
  }
  return result;
}

function readApp(
  problems: ProblemList,
  index: number,
  value: unknown,
  secrets: Map<string, Record<string, SecretValue>>,
  defaults: { hubSku: HubSku; messagePreview: boolean },
): AppConfig | undefined {
  const at = `apps[${index}]`;
  const obj = readObject(problems, at, value);
  if (!obj) return value === undefined ? problems.add(at, "must be an app { name, apns?, fcm?, … }.") : undefined;
  reportUnknownFields(problems, at, obj, APP_FIELDS);
  const name = readString(
    problems,
    `${at}.name`,
    obj.name,
    APP_NAME,
    "a short app name: a lowercase letter, then up to 11 lowercase letters or digits",
  );
  const app = name ?? `#${index}`;
  const own = secrets.get(app) ?? {};
  const setSecret = (field: string) =>
    `pulumi config set --secret acs-notifications:appSecrets '{"${app}": {"${field}": "…"}}' (one JSON object for all apps)`;
  const apns =
    obj.apns === undefined
      ? undefined
      : readApnsCredential(
          problems,
          { object: `${at}.apns`, token: `appSecrets.${app}.apnsToken`, setToken: setSecret("apnsToken") },
          obj.apns,
          own.apnsToken,
        );
  const fcmV1 =
    obj.fcm === undefined
      ? undefined
      : readFcmCredential(
          problems,
          { object: `${at}.fcm`, privateKey: `appSecrets.${app}.fcmPrivateKey`, setPrivateKey: setSecret("fcmPrivateKey") },
          obj.fcm,
          own.fcmPrivateKey,
        );
  if (obj.apns === undefined && obj.fcm === undefined)
    problems.add(at, `(${app}) has no push platform: set apns or fcm (a hub without credentials delivers nothing).`);
  if (own.apnsToken?.kind === "plain" && obj.apns === undefined)
    problems.add(`appSecrets.${app}.apnsToken`, `is set, but ${at} has no apns.`);
  if (own.fcmPrivateKey?.kind === "plain" && obj.fcm === undefined)
    problems.add(`appSecrets.${app}.fcmPrivateKey`, `is set, but ${at} has no fcm.`);
  const hubSku = readChoice(problems, `${at}.hubSku`, obj.hubSku, HUB_SKUS, defaults.hubSku);
  const partitions = readInteger(problems, `${at}.partitions`, obj.partitions, 1, 1, MAX_PARTITIONS);
  const growingFrom =
    obj.growingFrom === undefined ? undefined : readInteger(problems, `${at}.growingFrom`, obj.growingFrom, 1, 1, MAX_PARTITIONS);
  if (partitions !== undefined && growingFrom !== undefined && growingFrom >= partitions) {
    problems.add(
      `${at}.growingFrom`,
      growingFrom === partitions
        ? `equals partitions (${partitions}): nothing is growing; remove growingFrom.`
        : `is ${growingFrom}, more than partitions (${partitions}): shrinking is refused — the devices registered in partitions ` +
            `${partitions}…${growingFrom - 1} would stop getting pushes, and their namespaces would be deleted with them. ` +
            "Keep the partitions; a namespace holds millions of devices, an idle one costs little.",
    );
  }
  const expectedDevices =
    obj.expectedDevices === undefined
      ? undefined
      : readInteger(problems, `${at}.expectedDevices`, obj.expectedDevices, 1, 1, 1_000_000_000);
  const messagePreview = readBoolean(problems, `${at}.messagePreview`, obj.messagePreview, defaults.messagePreview);
  if (!name || !hubSku || partitions === undefined || messagePreview === undefined) return undefined;
  if ((obj.apns !== undefined && !apns) || (obj.fcm !== undefined && !fcmV1) || (!apns && !fcmV1)) return undefined;
  return { name, apns, fcmV1, hubSku, partitions, growingFrom, expectedDevices, messagePreview };
}

/** Problems that involve two apps: the same name, bundle id or Firebase project. */
function reportClashes(problems: ProblemList, apps: readonly AppConfig[]): void {
  const seen = (label: string, keyOf: (a: AppConfig) => string | undefined) => {
    const first = new Map<string, string>();
    for (const app of apps) {
      const k = keyOf(app);
      if (k === undefined) continue;
      const other = first.get(k);
      if (other)
        problems.add(
          "apps",
          `${other} and ${app.name} have the same ${label} (${k}): one hub serves one app, so one of them would get the other's pushes.`,
        );
      else first.set(k, app.name);
    }
  };
  seen("iOS bundle id", (a) => a.apns?.bundleId);
  seen("Firebase project", (a) => (a.fcmV1 && a.fcmV1.projectId !== "opaque-project" ? a.fcmV1.projectId : undefined));
}

export function readApps(
  problems: ProblemList,
  raw: RawStackConfig,
  defaults: { hubSku: HubSku; messagePreview: boolean },
): AppsChoice | undefined {
  const list = raw.values.apps;
  const nativeApp = raw.values.nativeApp;
  if (list === undefined) {
    if (raw.secrets.appSecrets)
      problems.add("appSecrets", "is only read with apps; the one-app form takes apnsToken and fcmPrivateKey.");
    if (nativeApp !== undefined && nativeApp !== ONE_APP_NAME)
      problems.add("nativeApp", `names an app of apps; without apps the stack has one app, '${ONE_APP_NAME}'.`);
    const apns = readApns(problems, raw);
    const fcmV1 = readFcm(problems, raw);
    const anyPlatform =
      raw.values.apns !== undefined ||
      raw.values.fcm !== undefined ||
      raw.secrets.fcmServiceAccountJson !== undefined ||
      (raw.encryptedPlainKeys ?? []).some((k) => k === "apns" || k === "fcm");
    if (!anyPlatform)
      problems.add("apns", "or fcm (or fcmServiceAccountJson) is required: configure at least one push platform.");
    if (!apns && !fcmV1) return undefined;
    return {
      apps: [
        { name: ONE_APP_NAME, apns, fcmV1, hubSku: defaults.hubSku, partitions: 1, messagePreview: defaults.messagePreview },
      ],
      nativeApp: ONE_APP_NAME,
      appsListed: false,
    };
  }
  const mixed = ONE_APP_KEYS.filter((k) => raw.values[k] !== undefined || raw.secrets[k] !== undefined);
  if (mixed.length > 0)
    problems.add(
      "apps",
      `cannot be combined with the one-app keys (${mixed.join(", ")}): move their values into an app of apps.`,
    );
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_APPS)
    return problems.add(
      "apps",
      `must be a list of 1 to ${MAX_APPS} apps ({ name, apns?, fcm?, hubSku?, partitions?, … }); got ${describe(list)}.`,
    );
  const names = list.flatMap((a) =>
    typeof a === "object" && a !== null && typeof (a as { name?: unknown }).name === "string"
      ? [(a as { name: string }).name]
      : [],
  );
  const duplicateNames = names.filter((n, i) => names.indexOf(n) !== i);
  for (const n of new Set(duplicateNames))
    problems.add("apps", `has two apps named ${APP_NAME.test(n) ? n : "alike"}: app names must differ.`);
  const secrets = readAppSecrets(problems, raw.secrets.appSecrets, names);
  const apps = list.map((value, i) => readApp(problems, i, value, secrets, defaults));
  const read = apps.filter((a): a is AppConfig => a !== undefined);
  reportClashes(problems, read);
  let native: string | undefined;
  if (nativeApp === undefined) {
    if (list.length === 1) native = names[0];
    else
      problems.add(
        "nativeApp",
        `is required with several apps: name the one ACS links (native calling and chat pushes reach it alone): one of ${names.join(", ")}.`,
      );
  } else if (typeof nativeApp !== "string" || !names.includes(nativeApp)) {
    problems.add("nativeApp", `must name one of the apps (${names.join(", ")}); got ${describe(nativeApp)}.`);
  } else native = nativeApp;
  if (read.length !== list.length || duplicateNames.length > 0 || !native) return undefined;
  return { apps: read, nativeApp: native, appsListed: true };
}
