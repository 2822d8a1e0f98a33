import * as pulumi from "@pulumi/pulumi";

/**
 * How many hub partitions an app has, kept in state so that a change can be judged against what is
 * deployed — which stack configuration alone cannot see. Growing is an update; shrinking is refused
 * at `check`, before anything changes: the devices registered in the dropped partitions would stop
 * getting pushes, and their namespaces would be deleted with them.
 */
export interface PartitionLayoutInputs {
  readonly app: string;
  readonly partitions: number;
}

/** Why the new layout is refused, or undefined. */
export function shrinkRefusal(olds: Partial<PartitionLayoutInputs> | undefined, news: PartitionLayoutInputs): string | undefined {
  if (typeof olds?.partitions !== "number" || news.partitions >= olds.partitions) return undefined;
  return (
    `app ${news.app} has ${olds.partitions} partitions; shrinking to ${news.partitions} is refused: the devices registered in ` +
    `partitions ${news.partitions}…${olds.partitions - 1} would stop getting pushes and their namespaces would be deleted. ` +
    `Keep partitions: ${olds.partitions} (an idle namespace costs little).`
  );
}

export function createPartitionLayoutProvider(): pulumi.dynamic.ResourceProvider {
  return {
    async check(olds: Partial<PartitionLayoutInputs>, news: PartitionLayoutInputs) {
      const reason = shrinkRefusal(olds, news);
      return { inputs: news, failures: reason ? [{ property: "partitions", reason }] : [] };
    },
    async diff(_id: string, olds: PartitionLayoutInputs, news: PartitionLayoutInputs) {
      return {
        changes: olds.partitions !== news.partitions || olds.app !== news.app,
        replaces: olds.app !== news.app ? ["app"] : [],
      };
    },
    async create(inputs: PartitionLayoutInputs) {
      return { id: `${inputs.app}/partitions`, outs: { ...inputs } };
    },
    async update(_id: string, _olds: PartitionLayoutInputs, news: PartitionLayoutInputs) {
      return { outs: { ...news } };
    },
    // Nothing outside state: removing an app removes its layout with it.
    async delete() {},
  };
}
