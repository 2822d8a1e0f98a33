import { createHash } from "node:crypto";

/**
 * Names Azure requires to be globally unique and short (storage accounts: 3-24 lowercase letters
 * and digits; key vaults: 3-24 letters, digits and single hyphens). Pulumi's random suffix would
 * not fit, so the suffix is a hash of the resource group id (which holds the subscription) and
 * the prefix: stable across runs, distinct across subscriptions, groups and stacks.
 */
function suffix(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

export function storageAccountName(prefix: string, resourceGroupId: string): string {
  const letters = prefix.replace(/[^a-z0-9]/g, "").slice(0, 12);
  return `${letters}${suffix(`${resourceGroupId}|${prefix}|st`, 24 - letters.length > 10 ? 10 : 24 - letters.length)}`;
}

export function keyVaultName(prefix: string, resourceGroupId: string): string {
  const head = prefix.slice(0, 12).replace(/-+$/, "").replace(/--+/g, "-");
  return `${head}-${suffix(`${resourceGroupId}|${prefix}|kv`, 8)}`;
}

/** The SCM (Kudu) host of an app: first label of the default host name, then `.scm.` and the rest. */
export function scmHostOf(defaultHostName: string): string {
  const dot = defaultHostName.indexOf(".");
  return dot < 0 ? defaultHostName : `${defaultHostName.slice(0, dot)}.scm${defaultHostName.slice(dot)}`;
}
