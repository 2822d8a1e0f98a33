/**
 * Event ids this process has already pushed. Event Grid delivers at least once, so the same event
 * can arrive again; remembering recent ids keeps one instance from notifying twice. Bounded in size
 * and age so memory stays flat under any load.
 */
export class RecentEvents {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly capacity = 10_000,
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  has(id: string): boolean {
    const at = this.seen.get(id);
    if (at === undefined) return false;
    if (this.now() - at > this.ttlMs) {
      this.seen.delete(id);
      return false;
    }
    return true;
  }

  add(id: string): void {
    this.seen.delete(id);
    this.seen.set(id, this.now());
    // Map keeps insertion order: the first key is the oldest.
    while (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value as string);
  }

  get size(): number {
    return this.seen.size;
  }
}
