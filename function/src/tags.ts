import { createHash } from "node:crypto";

/**
 * The one tag scheme the push sender addresses: `user_` + the SHA-256 (hex) of the recipient's
 * ACS raw id (`8:acs:…`). Raw ids can hold characters Notification Hubs tags do not allow and can
 * be long; the hash always fits (69 characters of [a-z0-9_]). An app registers its installation
 * with this tag for the signed-in ACS user, computing the same hash on the device.
 */
export function userTag(rawId: string): string {
  return `user_${createHash("sha256").update(rawId).digest("hex")}`;
}
