import { randomBytes } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/**
 * A random suffix for the Key Vault's name, drawn once when this resource is created and kept in
 * state. Key Vault soft delete is always on: a deleted vault keeps its name for its retention
 * period. A vault named from this suffix never collides with the soft-deleted vault of an earlier
 * `destroy` (that one had another suffix), so nothing ever needs purging — and no identity needs
 * the subscription-wide purge action. The suffix is drawn anew whenever the vault would be
 * replaced (its resource group or region changes), so a replacement gets a new name as well.
 */
export interface VaultNameSuffixInputs {
  /** What, when it changes, replaces the vault: its resource group's id and its region. */
  readonly resourceGroupId: string;
  readonly location: string;
}

export interface VaultNameSuffixOutputs extends VaultNameSuffixInputs {
  /** 8 lowercase hex characters. */
  readonly suffix: string;
}

const same = (a: unknown, b: unknown) =>
  String(a ?? "")
    .replace(/\s+/g, "")
    .toLowerCase() ===
  String(b ?? "")
    .replace(/\s+/g, "")
    .toLowerCase();

export function createVaultNameSuffixProvider(): pulumi.dynamic.ResourceProvider {
  return {
    async diff(_id: string, olds: VaultNameSuffixOutputs, news: VaultNameSuffixInputs) {
      const replaces = (["resourceGroupId", "location"] as const).filter((k) => !same(olds[k], news[k]));
      return { changes: replaces.length > 0, replaces };
    },
    async create(inputs: VaultNameSuffixInputs) {
      const suffix = randomBytes(4).toString("hex");
      return { id: `${inputs.resourceGroupId}/vaultNameSuffix/${suffix}`, outs: { ...inputs, suffix } };
    },
    // Nothing outside state: the suffix goes with the resource.
    async delete() {},
  };
}
