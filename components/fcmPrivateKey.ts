/**
 * An FCM v1 private key in the form Google's service-account JSON holds it: PEM with real line
 * breaks, ending in one. Keys are often pasted with literal `\n` escapes (the JSON's string
 * copied into Key Vault, ESC or a shell), with Windows line ends, or with stray spaces around;
 * the hub would receive that text as is and FCM would reject every signature made with it.
 */
export function normalizePemPrivateKey(raw: string): string {
  const text = raw
    .replace(/\\r\\n|\\n/g, "\n")
    .replace(/\r\n/g, "\n")
    .trim();
  return `${text}\n`;
}
