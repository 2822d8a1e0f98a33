import * as pulumi from "@pulumi/pulumi";
import { ArmRestOptions, createArmRestClient } from "../../azure/armRestClient";
import { createAuthenticatedPipeline, resolveCredential } from "../../azure/authenticatedPipeline";
import { connectionStringFingerprint } from "../../azure/hubConnectionString";
import { parseHubAuthorizationRuleId } from "../../azure/armResourceId";
import { fetchRuleConnectionString, tryFetchRuleConnectionString } from "../../azure/hubRuleKeys";
import { REQUEST_TIMEOUT_MS, requestLimitsPolicy } from "../../azure/requestLimits";
import { isKnownString } from "../providerInputs";

/**
 * A notification hub rule's connection string, written into Key Vault by the deploying process
 * itself: it reads the key with ARM's `listKeys` and writes the secret with ARM's secret PUT
 * (both under Contributor), so the key never passes through the Pulumi program, its plan or its
 * state — state keeps the secret's versioned URI (what the Function's Key Vault reference names)
 * and a fingerprint of the key, by which a regenerated key shows as a change in `pulumi up`.
 * ARM has no DELETE for a secret: deleting goes through the vault's data plane (the data action
 * `Microsoft.KeyVault/vaults/secrets/delete`, which the bootstrap grants each deploy identity).
 */
export interface HubKeySecretInputs {
  /** ARM id of the hub's authorization rule whose primary connection string is stored. */
  readonly authorizationRuleId: string;
  /** ARM id of the vault. */
  readonly vaultId: string;
  readonly secretName: string;
}

export interface HubKeySecretOutputs extends HubKeySecretInputs {
  /** The secret's URI with its version: a rotated key is a new version, hence a new app setting. */
  readonly secretUriWithVersion: string;
  /** The secret's URI without version (its data-plane address, used to delete it). */
  readonly secretUri: string;
  /** Non-secret fingerprint of the stored connection string. */
  readonly keyFingerprint: string;
}

export const KEYVAULT_ARM_API_VERSION = "2023-07-01";
export const KEYVAULT_DATA_API_VERSION = "7.5";

export type HubKeySecretOptions = ArmRestOptions;

/** Known (not the preview's placeholder) and not empty. */
const isGiven = (v: unknown): v is string => isKnownString(v) && v !== "";

const VAULT_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i;
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** Errors survive the engine's closure serialization only as plain Errors (see oneDeployProvider). */
function secretError(message: string): Error {
  return Object.assign(new Error(message), { name: "HubKeySecretError" });
}

/** Pure input validation, shared by `check` and the tests. Each failure names the property. */
export function validateHubKeySecretInputs(
  inputs: Partial<Record<keyof HubKeySecretInputs, unknown>>,
): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  if (isGiven(inputs.authorizationRuleId) && !parseHubAuthorizationRuleId(inputs.authorizationRuleId))
    failures.push({
      property: "authorizationRuleId",
      reason: "must be the ARM id of a notification hub authorization rule (…/notificationHubs/HUB/authorizationRules/RULE).",
    });
  if (isGiven(inputs.vaultId) && !VAULT_ID.test(inputs.vaultId))
    failures.push({
      property: "vaultId",
      reason: "must be the ARM id of a Key Vault (…/providers/Microsoft.KeyVault/vaults/NAME).",
    });
  if (typeof inputs.secretName !== "string" || !SECRET_NAME.test(inputs.secretName))
    failures.push({ property: "secretName", reason: "must be 1–127 letters, digits and hyphens (Key Vault's secret names)." });
  return failures;
}

async function write(options: HubKeySecretOptions, inputs: HubKeySecretInputs): Promise<HubKeySecretOutputs> {
  const failures = validateHubKeySecretInputs(inputs);
  if (failures.length > 0) throw secretError(failures.map((f) => `${f.property} ${f.reason}`).join(" "));
  const connectionString = await fetchRuleConnectionString(inputs.authorizationRuleId, options);
  const arm = await createArmRestClient(options);
  const path = `${inputs.vaultId}/secrets/${inputs.secretName}?api-version=${KEYVAULT_ARM_API_VERSION}`;
  const res = await arm.send({ method: "PUT", path, body: { properties: { value: connectionString } } });
  if (res.status !== 200 && res.status !== 201) {
    throw secretError(
      `Writing the secret '${inputs.secretName}' into ${inputs.vaultId} failed (HTTP ${res.status})` +
        (res.status === 403
          ? ": the deploying identity needs Microsoft.KeyVault/vaults/secrets/write there (Contributor has it)."
          : "."),
    );
  }
  let properties: { secretUri?: unknown; secretUriWithVersion?: unknown } | undefined;
  try {
    properties = (JSON.parse(res.bodyAsText ?? "") as { properties?: typeof properties }).properties;
  } catch {
    // Said below.
  }
  const { secretUri, secretUriWithVersion } = properties ?? {};
  if (typeof secretUri !== "string" || typeof secretUriWithVersion !== "string")
    throw secretError(`Key Vault's answer for the secret '${inputs.secretName}' in ${inputs.vaultId} had no secret URI.`);
  return { ...inputs, secretUri, secretUriWithVersion, keyFingerprint: connectionStringFingerprint(connectionString) };
}

/** The token audience of a vault's data plane: its host without the vault's own label (vault.azure.net in the public cloud). */
function vaultScope(secretUri: string): string {
  const labels = new URL(secretUri).hostname.split(".");
  return labels.length >= 3 ? `https://${labels.slice(1).join(".")}/.default` : "https://vault.azure.net/.default";
}

async function remove(options: HubKeySecretOptions, outs: HubKeySecretOutputs): Promise<void> {
  if (!isGiven(outs.secretUri)) return;
  const http = await createAuthenticatedPipeline({
    credential: await resolveCredential(options.credential),
    scope: vaultScope(outs.secretUri),
    limits: options.requestLimits ?? requestLimitsPolicy(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS),
    retryOptions: options.retryOptions,
    pipelineOptions: options.pipelineOptions,
  });
  const res = await http.send({ url: `${outs.secretUri}?api-version=${KEYVAULT_DATA_API_VERSION}`, method: "DELETE" });
  // Gone already (or its vault is): nothing left to delete.
  if (res.status === 200 || res.status === 404) return;
  throw secretError(
    `Deleting the secret '${outs.secretName}' from ${new URL(outs.secretUri).host} failed (HTTP ${res.status})` +
      (res.status === 403
        ? ": the deploying identity needs the data action Microsoft.KeyVault/vaults/secrets/delete on the vault (the bootstrap's vault-secrets-delete role)."
        : "."),
  );
}

export function createHubKeySecretProvider(options: HubKeySecretOptions = {}): pulumi.dynamic.ResourceProvider {
  return {
    async check(_olds: HubKeySecretInputs, news: HubKeySecretInputs) {
      return { inputs: news, failures: validateHubKeySecretInputs(news) };
    },

    async diff(_id: string, olds: HubKeySecretOutputs, news: HubKeySecretInputs) {
      const moved = (["vaultId", "secretName"] as const).filter(
        (k) => String(olds[k] ?? "").toLowerCase() !== String(news[k] ?? "").toLowerCase(),
      );
      const ruleChanged =
        String(olds.authorizationRuleId ?? "").toLowerCase() !== String(news.authorizationRuleId ?? "").toLowerCase();
      // A regenerated key: seen where the key can be read (the deploying identity's `up`); the
      // preview identity cannot read it, and sees no change.
      const current = isGiven(news.authorizationRuleId)
        ? await tryFetchRuleConnectionString(news.authorizationRuleId, options)
        : undefined;
      const keyChanged = current !== undefined && connectionStringFingerprint(current) !== olds.keyFingerprint;
      return { changes: moved.length > 0 || ruleChanged || keyChanged, replaces: moved };
    },

    async create(inputs: HubKeySecretInputs) {
      const outs = await write(options, inputs);
      return { id: `${inputs.vaultId}/secrets/${inputs.secretName}`, outs };
    },

    async update(_id: string, _olds: HubKeySecretOutputs, news: HubKeySecretInputs) {
      return { outs: await write(options, news) };
    },

    async delete(_id: string, outs: HubKeySecretOutputs) {
      await remove(options, outs);
    },
  };
}
