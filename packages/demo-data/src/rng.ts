// A small, fast, seeded PRNG (xoshiro128**, seeded through splitmix32) and the distributions the
// generator draws from. Never Math.random: the same seed and stream name give the same numbers on
// every run, so bundles are byte-identical.

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [state, z >>> 0];
}

/** FNV-1a hash of a string, for deriving independent streams by name. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  /** A stream for `seed` and `stream`: different names give independent sequences. */
  constructor(seed: number, stream = '') {
    let s = (Math.floor(seed) ^ hashString(stream)) | 0;
    let v: number;
    [s, v] = splitmix32(s);
    this.a = v | 0;
    [s, v] = splitmix32(s);
    this.b = v | 0;
    [s, v] = splitmix32(s);
    this.c = v | 0;
    [s, v] = splitmix32(s);
    this.d = v | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: ArrayLike<T>): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  /** Index drawn with the given (not necessarily normalised) weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    return this.index(weights, total);
  }

  /** Index drawn with fixed weights: the same draw as weighted(), without summing or allocating per call. */
  draw(ws: Weights): number {
    return this.index(ws.weights, ws.total);
  }

  private index(weights: ArrayLike<number>, total: number): number {
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-standard-deviation. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Log-uniform in [lo, hi). */
  logUniform(lo: number, hi: number): number {
    return lo * Math.exp(this.next() * Math.log(hi / lo));
  }
}

/** Fixed weights for Rng.draw, summed once in the order weighted() sums them (so the draws are the same). */
export class Weights {
  readonly weights: Float64Array;
  readonly total: number;
  constructor(weights: readonly number[]) {
    this.weights = Float64Array.from(weights);
    let t = 0;
    for (const w of weights) t += w;
    this.total = t;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A pre-built weighted table for drawing many times quickly (cumulative weights, binary search). */
export class WeightedTable {
  private readonly cum: Float64Array;
  private readonly total: number;
  constructor(weights: ArrayLike<number>) {
    this.cum = new Float64Array(weights.length);
    let t = 0;
    for (let i = 0; i < weights.length; i++) {
      t += weights[i];
      this.cum[i] = t;
    }
    this.total = t;
  }
  draw(rng: Rng): number {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
