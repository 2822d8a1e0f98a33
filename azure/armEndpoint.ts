/**
 * The Azure Resource Manager endpoint the project's own Azure calls use: the hub link, the
 * OneDeploy code deployment (its SCM token audience), the hub key secrets and the doctor.
 * Override it with ACS_NOTIFICATIONS_ARM_ENDPOINT for sovereign clouds
 * (e.g. https://management.chinacloudapi.cn) or a local test double.
 */
export const ARM_ENDPOINT_ENV = "ACS_NOTIFICATIONS_ARM_ENDPOINT";
export const PUBLIC_CLOUD_ARM_ENDPOINT = "https://management.azure.com";

/**
 * Resolves the endpoint from the environment; throws naming the variable when it is not a plain
 * https origin. The value is never echoed: a URL can carry a user name and password.
 */
export function armEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[ARM_ENDPOINT_ENV]?.trim();
  if (!configured) return PUBLIC_CLOUD_ARM_ENDPOINT;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new Error(`${ARM_ENDPOINT_ENV} must be an https URL like ${PUBLIC_CLOUD_ARM_ENDPOINT}; it is not a URL.`);
  }
  if (url.username || url.password) {
    throw new Error(
      `${ARM_ENDPOINT_ENV} must not carry a user name or password (ARM takes an Entra ID token); use https://HOST only.`,
    );
  }
  // Bearer tokens must never travel over plain HTTP.
  if (url.protocol !== "https:") {
    throw new Error(
      `${ARM_ENDPOINT_ENV} must use https (ARM tokens are never sent in clear text); it uses ${url.protocol.replace(":", "")}.`,
    );
  }
  return url.origin;
}
