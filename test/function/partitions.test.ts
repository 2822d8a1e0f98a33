import { partitionOf, partitionsToReach } from "../../function/src/partitions";
import { userTag } from "../../function/src/tags";

/**
 * The user → partition function over 100,000 synthetic users (tags as the registrar makes them):
 * an even spread, and the fewest possible moves when an app grows by one partition.
 */
const USERS = Array.from({ length: 100_000 }, (_, i) => userTag(`8:acs:00000000-0000-0000-0000-${String(i).padStart(12, "0")}`));

function spread(partitions: number): number[] {
  const counts = new Array<number>(partitions).fill(0);
  for (const tag of USERS) counts[partitionOf(tag, partitions)]++;
  return counts;
}

describe("partitionOf (rendezvous hashing of the user's tag)", () => {
  it.each([2, 3, 4, 7, 10])("spreads 100,000 users within ±5 %% of even across %i partitions", (n) => {
    const even = USERS.length / n;
    for (const count of spread(n)) expect(Math.abs(count - even) / even).toBeLessThanOrEqual(0.05);
  });

  it.each([1, 2, 3, 4, 9])(
    "growing from %i partitions to one more moves about 1/(N+1) of the users, all into the new one",
    (n) => {
      let moved = 0;
      let betweenOldPartitions = 0;
      for (const tag of USERS) {
        const before = partitionOf(tag, n);
        const after = partitionOf(tag, n + 1);
        if (before !== after) {
          moved++;
          // Nobody moves between old partitions: the only moves are into the new one.
          if (after !== n) betweenOldPartitions++;
        }
      }
      expect(betweenOldPartitions).toBe(0);
      const expected = USERS.length / (n + 1);
      expect(Math.abs(moved - expected) / expected).toBeLessThanOrEqual(0.05);
    },
  );

  it("is the same for the same tag on every call, and 0 with one partition", () => {
    expect(partitionOf(USERS[42], 5)).toBe(partitionOf(USERS[42], 5));
    expect(USERS.slice(0, 1000).every((t) => partitionOf(t, 1) === 0)).toBe(true);
  });

  it("refuses a partition count that is not a whole number of at least one", () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => partitionOf(USERS[0], bad)).toThrow(/partitions must be a whole number ≥ 1/);
  });

  it("reaches a moved user's old and new partition while the app grows, and only the new one after", () => {
    const moved = USERS.find((t) => partitionOf(t, 3) !== partitionOf(t, 2))!;
    const stayed = USERS.find((t) => partitionOf(t, 3) === partitionOf(t, 2))!;
    expect(partitionsToReach(moved, 3, 2)).toEqual([2, partitionOf(moved, 2)]);
    expect(partitionsToReach(stayed, 3, 2)).toEqual([partitionOf(stayed, 3)]);
    expect(partitionsToReach(moved, 3)).toEqual([2]);
  });
});
