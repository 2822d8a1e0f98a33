import * as pulumi from "@pulumi/pulumi";
import { createPartitionLayoutProvider } from "./partitionLayoutProvider";
import { DYNAMIC_TYPE_NAMES } from "../resourceTypes";
import { sharedProvider } from "../sharedProvider";

// One provider object for all resources of this type (see sharedProvider).
const partitionLayoutProvider = sharedProvider(createPartitionLayoutProvider);

/** An app's partition count in state: growing is an update, shrinking is refused (see the provider). */
export class PartitionLayout extends pulumi.dynamic.Resource {
  declare public readonly partitions: pulumi.Output<number>;

  constructor(name: string, args: { app: string; partitions: number }, opts?: pulumi.CustomResourceOptions) {
    super(partitionLayoutProvider(), name, args, opts, undefined, DYNAMIC_TYPE_NAMES.partitionLayout);
  }
}
