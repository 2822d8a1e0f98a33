/**
 * Secrets that exist but cannot be read by this process. `pulumi up` decrypts every secret,
 * so this set is empty there; the offline plan fills it for `secure:` values it has no key
 * for and for secrets an imported ESC environment provides, so that validation counts them
 * as present without pretending to check their content.
 */
const opaqueKeys = new Set<string>();

/** Marks full config keys (`acs-notifications:apnsToken`) as present but unreadable. */
export function markSecretsOpaque(keys: Iterable<string>): void {
  for (const k of keys) opaqueKeys.add(k);
}

export function isSecretOpaque(fullKey: string): boolean {
  return opaqueKeys.has(fullKey);
}

export function clearOpaqueSecrets(): void {
  opaqueKeys.clear();
}
