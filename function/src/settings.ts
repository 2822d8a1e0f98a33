import type { Platform, SenderOptions } from "./pushSender";
import { APP_NAME, AppSetting, hubSettingName, SETTINGS } from "./contract";

export interface FunctionSettings extends SenderOptions {
  readonly connectionString: string;
  readonly hubName: string;
  readonly deadLetterUrl?: string;
}

export class SettingsError extends Error {}

const bool = (v: string | undefined, fallback: boolean) => (v === undefined || v === "" ? fallback : v.toLowerCase() === "true");

const HUB_CONNECTION_STRING = /Endpoint=sb:\/\/[^;]+;\s*SharedAccessKeyName=[^;]+;\s*SharedAccessKey=/i;

/** A connection string setting, checked for its form (an unresolved Key Vault reference is the usual miss). */
function connectionStringSetting(env: NodeJS.ProcessEnv, name: string, problems: string[]): string {
  const value = env[name];
  if (value === undefined || !HUB_CONNECTION_STRING.test(value)) {
    problems.push(`${name} must be a Notification Hubs connection string (is the Key Vault reference resolved?)`);
  }
  return value ?? "";
}

/** A comma-separated list setting, entries trimmed, empty entries dropped. */
function listSetting(env: NodeJS.ProcessEnv, name: string, fallback = ""): string[] {
  return (env[name] ?? fallback)
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Reads and checks every setting; one error lists all problems, naming settings, never values of secrets. */
export function readSettings(env: NodeJS.ProcessEnv): FunctionSettings {
  const problems: string[] = [];
  const connectionString = connectionStringSetting(env, SETTINGS.connectionString, problems);
  const hubName = env[SETTINGS.hubName] ?? "";
  if (!hubName) problems.push(`${SETTINGS.hubName} must name the notification hub`);
  const platforms = listSetting(env, SETTINGS.platforms, "apple,fcmv1");
  const unknown = platforms.filter((p) => p !== "apple" && p !== "fcmv1");
  if (platforms.length === 0 || unknown.length > 0) problems.push(`${SETTINGS.platforms} must list apple and/or fcmv1`);
  const hubSku = env[SETTINGS.hubSku] || "Free";
  if (!["Free", "Basic", "Standard"].includes(hubSku)) problems.push(`${SETTINGS.hubSku} must be Free, Basic or Standard`);
  if (problems.length > 0) throw new SettingsError(`push sender settings are invalid: ${problems.join("; ")}`);
  return {
    connectionString,
    hubName,
    platforms: platforms as Platform[],
    includePreview: bool(env[SETTINGS.messagePreview], false),
    sendChatMessages: bool(env[SETTINGS.chatMessages], true),
    deadLetterUrl: env[SETTINGS.deadLetterUrl] || undefined,
    hubSku: hubSku as FunctionSettings["hubSku"],
  };
}

export interface RegistrationSettings {
  readonly connectionString: string;
  readonly hubName: string;
  readonly allowedClientIds: readonly string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The registration endpoint's settings; one error lists every problem by setting name, never a value. */
export function readRegistrationSettings(env: NodeJS.ProcessEnv): RegistrationSettings {
  const problems: string[] = [];
  const connectionString = connectionStringSetting(env, SETTINGS.registrationConnectionString, problems);
  const hubName = env[SETTINGS.hubName] ?? "";
  if (!hubName) problems.push(`${SETTINGS.hubName} must name the notification hub`);
  const allowedClientIds = listSetting(env, SETTINGS.registrationAllowedClients);
  if (allowedClientIds.length === 0 || allowedClientIds.some((c) => !GUID.test(c)))
    problems.push(
      `${SETTINGS.registrationAllowedClients} must list the client ids (GUIDs) of the back ends allowed to register devices`,
    );
  if (problems.length > 0) throw new SettingsError(`registration settings are invalid: ${problems.join("; ")}`);
  return { connectionString, hubName, allowedClientIds };
}

/** One app's hubs with their connection strings, as the function connects to them. */
export interface AppHubs extends Omit<AppSetting, "hubs"> {
  readonly partitions: readonly { readonly hubName: string; readonly connectionString: string }[];
}

/** The PUSH_APPS setting read and checked (problems name settings and fields, never values of secrets). */
function readAppList(env: NodeJS.ProcessEnv, problems: string[]): AppSetting[] | undefined {
  const text = env[SETTINGS.apps];
  if (text === undefined || text === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push(`${SETTINGS.apps} must be JSON: a list of apps`);
    return [];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    problems.push(`${SETTINGS.apps} must be a non-empty list of apps`);
    return [];
  }
  return parsed.flatMap((raw: unknown, i: number) => {
    const a = (typeof raw === "object" && raw !== null ? raw : {}) as Partial<AppSetting>;
    const at = `${SETTINGS.apps}[${i}]`;
    const bad: string[] = [];
    if (typeof a.name !== "string" || !APP_NAME.test(a.name)) bad.push("name");
    if (!Array.isArray(a.platforms) || a.platforms.length === 0 || a.platforms.some((p) => p !== "apple" && p !== "fcmv1"))
      bad.push("platforms");
    if (!["Free", "Basic", "Standard"].includes(String(a.hubSku))) bad.push("hubSku");
    if (typeof a.messagePreview !== "boolean") bad.push("messagePreview");
    if (!Array.isArray(a.hubs) || a.hubs.length === 0 || a.hubs.some((h) => typeof h !== "string" || h === "")) bad.push("hubs");
    if (
      a.growingFrom !== undefined &&
      (!Number.isInteger(a.growingFrom) || a.growingFrom < 1 || a.growingFrom >= (a.hubs?.length ?? 0))
    )
      bad.push("growingFrom");
    if (bad.length > 0) {
      problems.push(`${at} has invalid ${bad.join(", ")}`);
      return [];
    }
    return [a as AppSetting];
  });
}

function appHubs(env: NodeJS.ProcessEnv, apps: AppSetting[], purpose: "SEND" | "REGISTER", problems: string[]): AppHubs[] {
  return apps.map(({ hubs, ...app }) => ({
    ...app,
    partitions: hubs.map((hubName, partition) => ({
      hubName,
      connectionString: connectionStringSetting(env, hubSettingName(app.name, partition, purpose), problems),
    })),
  }));
}

/** The apps and their hubs' Send connection strings; undefined when the stack has one hub (the settings above). */
export function readAppsSettings(env: NodeJS.ProcessEnv): AppHubs[] | undefined {
  const problems: string[] = [];
  const apps = readAppList(env, problems);
  if (apps === undefined) return undefined;
  const result = appHubs(env, apps, "SEND", problems);
  if (problems.length > 0) throw new SettingsError(`push sender settings are invalid: ${problems.join("; ")}`);
  return result;
}

/** The apps and their hubs' Listen connection strings, for the registration endpoint; undefined with one hub. */
export function readRegistrationApps(env: NodeJS.ProcessEnv): AppHubs[] | undefined {
  const problems: string[] = [];
  const apps = readAppList(env, problems);
  if (apps === undefined) return undefined;
  const result = appHubs(env, apps, "REGISTER", problems);
  if (problems.length > 0) throw new SettingsError(`registration settings are invalid: ${problems.join("; ")}`);
  return result;
}
