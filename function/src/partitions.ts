import { createHash } from "node:crypto";

/**
 * Which of an app's hub partitions holds a user's devices: rendezvous (highest-random-weight)
 * hashing of the user's tag. Every partition gets a weight from a hash of (tag, partition); the
 * heaviest wins. Growing from N to N + 1 partitions moves exactly the users whose weight for the
 * new partition beats all others — about 1/(N + 1) of them, all into the new partition, none
 * between old ones — which is the least any scheme can move and still keep the spread even.
 *
 * The registrar (where installations are written), the sender (where pushes go) and the doctor
 * all use this one function on the same input, the `user_…` tag, so they always agree.
 */
export function partitionOf(tag: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new RangeError(`partitions must be a whole number ≥ 1; got ${partitions}`);
  if (partitions === 1) return 0;
  const [a, b] = seedOf(tag);
  let best = 0;
  let bestWeight = -1;
  for (let p = 0; p < partitions; p++) {
    // Each partition's weight: a well-mixed 32-bit function of (user, partition) — murmur3's finalizer.
    const weight = fmix32(a ^ fmix32((b + imul(p + 1, 0x9e3779b9)) | 0)) >>> 0;
    if (weight > bestWeight) {
      best = p;
      bestWeight = weight;
    }
  }
  return best;
}

const USER_TAG = /^user_([0-9a-f]{8})([0-9a-f]{8})/;

/** 64 random bits of the user: a user tag is already a SHA-256, so its first 16 hex digits; anything else is hashed once. */
function seedOf(tag: string): [number, number] {
  const hex = USER_TAG.exec(tag) ?? /^([0-9a-f]{8})([0-9a-f]{8})/.exec(createHash("sha256").update(tag).digest("hex"))!;
  return [parseInt(hex[1], 16) | 0, parseInt(hex[2], 16) | 0];
}

// Bound once: a global lookup per call is measurable at millions of calls (the property tests).
const imul = Math.imul;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * The partitions a push to this user must reach: their partition now, and — while the app is
 * growing from `previous` partitions and the user's installations may not have moved yet — their
 * partition before. One entry when they are the same (most users) or nothing is moving.
 */
export function partitionsToReach(tag: string, partitions: number, previous?: number): number[] {
  const now = partitionOf(tag, partitions);
  if (previous === undefined || previous === partitions) return [now];
  const before = partitionOf(tag, previous);
  return before === now ? [now] : [now, before];
}
