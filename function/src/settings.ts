import type { Platform, SenderOptions } from "./pushSender";
import { SETTINGS } from "./contract";

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
