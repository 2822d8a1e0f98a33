import { createHash } from "node:crypto";

/**
 * Notification Hubs connection strings, handled without ever revealing the key:
 * `Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=<rule>;SharedAccessKey=<key>`.
 */
export interface ParsedConnectionString {
  readonly endpoint: string;
  readonly namespaceName: string;
  readonly keyName: string;
}

export function parseHubConnectionString(value: string): ParsedConnectionString | undefined {
  const fields = new Map<string, string>();
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const endpoint = fields.get("endpoint");
  const keyName = fields.get("sharedaccesskeyname");
  const key = fields.get("sharedaccesskey");
  if (!endpoint || !keyName || !key) return undefined;
  const host = /^sb:\/\/([^/]+)\/?$/i.exec(endpoint)?.[1];
  if (!host) return undefined;
  return { endpoint, namespaceName: host.split(".")[0], keyName };
}

/**
 * A short, non-secret fingerprint of a connection string. Recorded in state next to the
 * link so that a regenerated key shows up as a diff (and can be checked later) without the
 * key itself ever being compared or printed. The key is 256 random bits, so its hash leaks nothing.
 */
export function connectionStringFingerprint(value: string): string {
  return "sha256:" + createHash("sha256").update(value, "utf8").digest("hex").slice(0, 16);
}

const SECRET_FIELDS = /(SharedAccessKey|SharedAccessSignature|AccountKey|sig)=([^;&\s"']+)/gi;

/** Removes every key-looking value and the given secrets from a text before it is shown. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 8) out = out.split(secret).join("[redacted]");
  }
  return out.replace(SECRET_FIELDS, "$1=[redacted]");
}
