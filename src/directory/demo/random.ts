/**
 * A seeded pseudo-random source for the demo and benchmark generators. Math.random cannot be
 * seeded, and the demo directory must come out byte-identical for the same seed so that tests,
 * screenshots and bug reports all see the same services.
 *
 * The core is mulberry32: 32 bits of state, good enough statistical quality for picking names and
 * opening hours, and fast enough for a million benchmark services.
 */
export class Random {
  private readonly seed: number;
  private state: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.state = this.seed;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: nothing to pick from');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: [[value, weight], …]; weights need not add up to anything in particular. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let point = this.next() * total;
    for (const [value, weight] of items) {
      point -= weight;
      if (point < 0) return value;
    }
    return items[items.length - 1]![0];
  }

  /** `count` distinct items in random order (all of them if there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const result: T[] = [];
    while (result.length < count && copy.length > 0) {
      result.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]!);
    }
    return result;
  }

  /**
   * An independent stream named by `label`, derived from the seed this source started with (not from
   * how much of it has been used). Each council area draws from its own fork, so adding a sentence to
   * one kind of service does not reshuffle every area generated after it.
   */
  fork(label: string): Random {
    return new Random(hash32(`${this.seed}:${label}`));
  }
}

/** FNV-1a over UTF-16 code units: a cheap, stable 32-bit hash for deriving seeds from labels. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mixes two 32-bit numbers into one well-spread 32-bit number (the murmur3 finaliser). */
export function mix32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
