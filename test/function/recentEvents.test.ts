import { RecentEvents } from "../../function/src/recentEvents";

// Event Grid delivers at least once: the sender remembers what it pushed, within bounds, so a redelivery
// does not ring a phone twice and memory stays flat.
describe("RecentEvents", () => {
  it("remembers an id it was given, and no other", () => {
    const recent = new RecentEvents();
    recent.add("a");
    expect(recent.has("a")).toBe(true);
    expect(recent.has("b")).toBe(false);
    expect(recent.size).toBe(1);
  });

  it("forgets an id exactly after its time to live, and frees its memory", () => {
    let now = 1_000;
    const recent = new RecentEvents(10, 100, () => now);
    recent.add("a");
    now = 1_100;
    expect(recent.has("a")).toBe(true); // at the limit: still remembered
    now = 1_101;
    expect(recent.has("a")).toBe(false);
    expect(recent.size).toBe(0);
  });

  it("keeps at most its capacity, dropping the oldest first", () => {
    const recent = new RecentEvents(3);
    for (const id of ["a", "b", "c", "d"]) recent.add(id);
    expect(recent.size).toBe(3);
    expect(["a", "b", "c", "d"].map((id) => recent.has(id))).toEqual([false, true, true, true]);
  });

  it("counts a re-added id as new: it moves to the back and its clock restarts", () => {
    let now = 0;
    const recent = new RecentEvents(2, 100, () => now);
    recent.add("a");
    recent.add("b");
    now = 50;
    recent.add("a"); // "b" is now the oldest
    recent.add("c");
    expect([recent.has("a"), recent.has("b"), recent.has("c")]).toEqual([true, false, true]);
    now = 140; // 90 ms after a's second add, 140 after its first
    expect(recent.has("a")).toBe(true);
  });

  it("defaults to 10,000 ids for an hour", () => {
    let now = 0;
    const recent = new RecentEvents(undefined, undefined, () => now);
    for (let i = 0; i < 10_001; i++) recent.add(String(i));
    expect(recent.size).toBe(10_000);
    expect(recent.has("0")).toBe(false);
    now = 60 * 60 * 1000;
    expect(recent.has("10000")).toBe(true);
    now += 1;
    expect(recent.has("10000")).toBe(false);
  });
});
