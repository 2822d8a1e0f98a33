import * as pulumi from "@pulumi/pulumi";
import { ArmRestOptions, createArmRestClient } from "../../azure/armRestClient";

/**
 * Key Vault soft delete is always on: a deleted vault keeps its name for its retention period
 * (90 days by default), so `pulumi destroy` then `pulumi up` fails with "already exists in
 * deleted state". Before the vault is created, this provider purges a soft-deleted vault of the
 * same name — only when it was this stack's own (same resource group), and never when purge
 * protection holds it. Purging loses what the old vault held; here that is only the hub's Send
 * connection string, which the program writes again.
 */
export interface DeletedVaultInputs {
  readonly subscriptionId: string;
  readonly location: string;
  readonly vaultName: string;
  /** ARM id of the resource group the vault is created in: only a deleted vault from here is purged. */
  readonly resourceGroupId: string;
}

export interface DeletedVaultOutputs extends DeletedVaultInputs {
  /** Whether a soft-deleted vault of this name was purged when this ran. */
  readonly purged: boolean;
}

export const KEYVAULT_API_VERSION = "2023-07-01";

export interface DeletedVaultPurgeOptions extends ArmRestOptions {
  /** How often and how long to wait for an accepted purge. */
  readonly pollIntervalMs?: number;
  readonly pollTimeoutMs?: number;
}

/** Errors survive the engine's closure serialization only as plain Errors (see oneDeployProvider). */
function purgeError(message: string): Error {
  return Object.assign(new Error(message), { name: "DeletedVaultPurgeError" });
}

const sameId = (a: string, b: string) => a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();

async function releaseName(options: DeletedVaultPurgeOptions, inputs: DeletedVaultInputs): Promise<DeletedVaultOutputs> {
  const arm = await createArmRestClient(options);
  const location = inputs.location.replace(/\s+/g, "").toLowerCase();
  const deletedPath = `/subscriptions/${inputs.subscriptionId}/providers/Microsoft.KeyVault/locations/${location}/deletedVaults/${inputs.vaultName}`;
  const found = await arm.send({ method: "GET", path: `${deletedPath}?api-version=${KEYVAULT_API_VERSION}` });
  if (found.status === 404) return { ...inputs, purged: false };
  if (found.status !== 200) {
    throw purgeError(
      `Checking for a deleted Key Vault named '${inputs.vaultName}' failed (HTTP ${found.status}): the deploying identity needs Microsoft.KeyVault/locations/deletedVaults/read on the subscription.`,
    );
  }
  const deleted = JSON.parse(found.bodyAsText ?? "{}") as {
    properties?: { vaultId?: string; purgeProtectionEnabled?: boolean; scheduledPurgeDate?: string };
  };
  const vaultId = deleted.properties?.vaultId ?? "";
  const expected = `${inputs.resourceGroupId}/providers/Microsoft.KeyVault/vaults/${inputs.vaultName}`;
  if (!sameId(vaultId, expected)) {
    throw purgeError(
      `A deleted Key Vault named '${inputs.vaultName}' belongs to ${vaultId || "another resource group"}, not to this stack's resource group: ` +
        "it is not purged. Recover or purge it yourself, or change acs-notifications:globalNamePrefix.",
    );
  }
  if (deleted.properties?.purgeProtectionEnabled) {
    throw purgeError(
      `The deleted Key Vault '${inputs.vaultName}' has purge protection and keeps its name until ${deleted.properties.scheduledPurgeDate ?? "its retention ends"}: ` +
        "recover it (az keyvault recover --name …) and import it, or change acs-notifications:globalNamePrefix.",
    );
  }
  const purge = await arm.send({ method: "POST", path: `${deletedPath}/purge?api-version=${KEYVAULT_API_VERSION}` });
  if (purge.status === 202) {
    const location = purge.headers.get("location") ?? purge.headers.get("azure-asyncoperation");
    if (location) await waitForPurge(options, arm, location, inputs.vaultName);
  } else if (purge.status !== 200) {
    throw purgeError(
      `Purging the deleted Key Vault '${inputs.vaultName}' failed (HTTP ${purge.status}): the deploying identity needs Microsoft.KeyVault/locations/deletedVaults/purge/action (e.g. Key Vault Contributor).`,
    );
  }
  return { ...inputs, purged: true };
}

async function waitForPurge(
  options: DeletedVaultPurgeOptions,
  arm: Awaited<ReturnType<typeof createArmRestClient>>,
  url: string,
  vaultName: string,
): Promise<void> {
  const deadline = Date.now() + (options.pollTimeoutMs ?? 10 * 60_000);
  while (Date.now() < deadline) {
    const res = await arm.send({ method: "GET", path: url });
    if (res.status === 200 || res.status === 204 || res.status === 404) return;
    if (res.status !== 202) throw purgeError(`Purging the deleted Key Vault '${vaultName}' failed (HTTP ${res.status}).`);
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 5_000));
  }
  throw purgeError(`Purging the deleted Key Vault '${vaultName}' did not finish in time; run \`pulumi up\` again.`);
}

export function createDeletedVaultPurgeProvider(options: DeletedVaultPurgeOptions = {}): pulumi.dynamic.ResourceProvider {
  return {
    async diff(_id: string, olds: DeletedVaultOutputs, news: DeletedVaultInputs) {
      const changed = (["subscriptionId", "location", "vaultName", "resourceGroupId"] as const).filter(
        (k) => String(olds[k] ?? "").toLowerCase() !== String(news[k] ?? "").toLowerCase(),
      );
      return { changes: changed.length > 0 };
    },
    async create(inputs: DeletedVaultInputs) {
      const outs = await releaseName(options, inputs);
      return { id: `${inputs.resourceGroupId}/deletedVaultPurge/${inputs.vaultName}`, outs };
    },
    async update(_id: string, _olds: DeletedVaultOutputs, news: DeletedVaultInputs) {
      return { outs: await releaseName(options, news) };
    },
    // Nothing to undo: the vault itself is deleted by its own resource.
    async delete() {},
  };
}
