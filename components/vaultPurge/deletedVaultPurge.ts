import * as pulumi from "@pulumi/pulumi";
import { createDeletedVaultPurgeProvider, DeletedVaultPurgeOptions } from "./deletedVaultPurgeProvider";
import { DYNAMIC_TYPE_NAMES } from "../resourceTypes";

export interface DeletedVaultPurgeArgs {
  readonly subscriptionId: pulumi.Input<string>;
  readonly location: pulumi.Input<string>;
  readonly vaultName: pulumi.Input<string>;
  readonly resourceGroupId: pulumi.Input<string>;
}

/** Frees a vault name held by this stack's own soft-deleted vault, so destroy → up works (see the provider). */
export class DeletedVaultPurge extends pulumi.dynamic.Resource {
  declare public readonly purged: pulumi.Output<boolean>;

  constructor(
    name: string,
    args: DeletedVaultPurgeArgs,
    opts?: pulumi.CustomResourceOptions,
    options?: DeletedVaultPurgeOptions,
  ) {
    super(
      createDeletedVaultPurgeProvider(options),
      name,
      { ...args, purged: undefined },
      opts,
      undefined,
      DYNAMIC_TYPE_NAMES.deletedVaultPurge,
    );
  }
}
