import * as pulumi from "@pulumi/pulumi";
import { createVaultNameSuffixProvider } from "./vaultNameSuffixProvider";
import { DYNAMIC_TYPE_NAMES } from "../resourceTypes";
import { sharedProvider } from "../sharedProvider";

// One provider object for all resources of this type (see sharedProvider).
const vaultNameSuffixProvider = sharedProvider(createVaultNameSuffixProvider);

export interface VaultNameSuffixArgs {
  readonly resourceGroupId: pulumi.Input<string>;
  readonly location: pulumi.Input<string>;
}

/** A random suffix for the vault's name, new for every vault this stack creates (see the provider). */
export class VaultNameSuffix extends pulumi.dynamic.Resource {
  declare public readonly suffix: pulumi.Output<string>;

  constructor(name: string, args: VaultNameSuffixArgs, opts?: pulumi.CustomResourceOptions) {
    super(vaultNameSuffixProvider(), name, { ...args, suffix: undefined }, opts, undefined, DYNAMIC_TYPE_NAMES.vaultNameSuffix);
  }
}
