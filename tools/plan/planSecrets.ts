import { CONFIG_NAMESPACE } from "../../config/stackConfigTypes";
import { StackFiles } from "../shared/stackFiles";

/**
 * Secrets an imported ESC environment provides cannot be seen offline, and the stack file does
 * not list them. Which ones the program needs follows from the non-secret settings: APNs
 * settings need the .p8 key, FCM settings the private key. Those are treated as present and
 * opaque when the stack imports an environment and does not set them itself; `pulumi up`
 * then checks the real values.
 */
export function planSecretsFromEnvironments(files: StackFiles): { config: Record<string, string>; keys: string[] } {
  if (files.environments.length === 0) return { config: {}, keys: [] };
  const ns = (k: string) => `${CONFIG_NAMESPACE}:${k}`;
  const needed: string[] = [];
  if (files.config[ns("apns")] !== undefined) needed.push(ns("apnsToken"));
  if (files.config[ns("fcm")] !== undefined) needed.push(ns("fcmPrivateKey"));
  const keys = needed.filter((k) => files.config[k] === undefined);
  return { config: Object.fromEntries(keys.map((k) => [k, "[secret]"])), keys };
}
