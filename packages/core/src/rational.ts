// Exact rational numbers on bigint. Every amount, rate and ratio that a rule computes is one of
// these until the declared rounding turns it into whole fen: no binary float ever touches money.

export type RoundingMode = 'half_up' | 'half_even' | 'down' | 'up';

const ZERO_N = 0n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** An exact fraction n/d with d > 0, always in lowest terms. */
export class Q {
  readonly n: bigint;
  readonly d: bigint;

  constructor(n: bigint, d: bigint = 1n) {
    if (d === 0n) throw new RangeError('Q: zero denominator');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    if (d !== 1n) {
      // Most values here are fen amounts over small denominators: reduce with float-free Number
      // arithmetic when both parts are safe integers (exact), and with bigint otherwise.
      let g: bigint;
      if (n <= SAFE && n >= -SAFE && d <= SAFE) {
        let a = Number(n < 0n ? -n : n);
        let b = Number(d);
        while (b !== 0) {
          const t = a % b;
          a = b;
          b = t;
        }
        g = a > 1 ? BigInt(a) : 1n;
      } else g = gcd(n, d);
      if (g > 1n) {
        n /= g;
        d /= g;
      }
    }
    this.n = n;
    this.d = d;
  }

  static readonly ZERO = new Q(0n);
  static readonly ONE = new Q(1n);

  /** From a JS integer (throws on non-integers: floats never enter the exact domain). */
  static int(v: number | bigint): Q {
    if (typeof v === 'bigint') return new Q(v);
    if (!Number.isSafeInteger(v)) throw new RangeError(`Q.int: not a safe integer: ${v}`);
    return new Q(BigInt(v));
  }

  /** From integer numerator and denominator. */
  static of(n: number | bigint, d: number | bigint = 1): Q {
    const nn = typeof n === 'bigint' ? n : BigInt(checkInt(n));
    const dd = typeof d === 'bigint' ? d : BigInt(checkInt(d));
    return new Q(nn, dd);
  }

  /**
   * Parse a decimal literal such as "12", "-0.005", "1,234.5" or "0.5%" (the percent sign
   * divides by 100). Returns null for anything else; never goes through a float.
   */
  static parse(text: string): Q | null {
    let s = text.trim().replace(/,/g, '');
    let scale = 1n;
    if (s.endsWith('%')) {
      s = s.slice(0, -1).trim();
      scale = 100n;
    } else if (s.endsWith('‰')) {
      s = s.slice(0, -1).trim();
      scale = 1000n;
    }
    const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(s) ?? /^([+-]?)()\.(\d+)$/.exec(s);
    if (!m) return null;
    const sign = m[1] === '-' ? -1n : 1n;
    const intPart = m[2] === '' ? '0' : m[2];
    const frac = m[3] ?? '';
    const n = BigInt(intPart + frac) * sign;
    const d = 10n ** BigInt(frac.length) * scale;
    return new Q(n, d);
  }

  add(o: Q): Q {
    if (this.d === 1n && o.d === 1n) return new Q(this.n + o.n);
    return new Q(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Q): Q {
    if (this.d === 1n && o.d === 1n) return new Q(this.n - o.n);
    return new Q(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Q): Q {
    return new Q(this.n * o.n, this.d * o.d);
  }
  /** Division; returns null when dividing by zero (the caller decides what an undefined ratio means). */
  div(o: Q): Q | null {
    if (o.n === 0n) return null;
    return new Q(this.n * o.d, this.d * o.n);
  }
  neg(): Q {
    return new Q(-this.n, this.d);
  }
  abs(): Q {
    return this.n < 0n ? this.neg() : this;
  }
  cmp(o: Q): -1 | 0 | 1 {
    const l = this.n * o.d;
    const r = o.n * this.d;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  eq(o: Q): boolean {
    return this.n === o.n && this.d === o.d;
  }
  lt(o: Q): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Q): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Q): boolean {
    return this.cmp(o) > 0;
  }
  ge(o: Q): boolean {
    return this.cmp(o) >= 0;
  }
  isZero(): boolean {
    return this.n === ZERO_N;
  }
  sign(): -1 | 0 | 1 {
    return this.n < 0n ? -1 : this.n > 0n ? 1 : 0;
  }
  isInteger(): boolean {
    return this.d === 1n;
  }
  static min(a: Q, b: Q): Q {
    return a.le(b) ? a : b;
  }
  static max(a: Q, b: Q): Q {
    return a.ge(b) ? a : b;
  }

  /** Round to an integer with the declared mode (for money in fen: round to whole fen). */
  round(mode: RoundingMode): bigint {
    const { n, d } = this;
    if (d === 1n) return n;
    // floor division that works for negatives
    let q = n / d;
    let r = n % d;
    if (r !== 0n && n < 0n) {
      q -= 1n;
      r += d;
    }
    // now n = q*d + r, 0 < r < d
    switch (mode) {
      case 'down':
        return n < 0n && r !== 0n ? q + 1n : q; // toward zero
      case 'up':
        return n < 0n ? q : q + 1n; // away from zero
      case 'half_up': {
        const twice = 2n * r;
        if (twice > d) return q + 1n;
        if (twice < d) return q;
        return n < 0n ? q : q + 1n; // ties away from zero
      }
      case 'half_even': {
        const twice = 2n * r;
        if (twice > d) return q + 1n;
        if (twice < d) return q;
        return q % 2n === 0n ? q : q + 1n;
      }
    }
  }

  /** Exact decimal text when the denominator divides a power of ten, otherwise `digits` places (half-up). */
  toDecimal(digits = 6): string {
    let d = this.d;
    let twos = 0;
    let fives = 0;
    while (d % 2n === 0n) {
      d /= 2n;
      twos++;
    }
    while (d % 5n === 0n) {
      d /= 5n;
      fives++;
    }
    const places = d === 1n ? Math.max(twos, fives) : digits;
    const scaled = this.mul(new Q(10n ** BigInt(places))).round('half_up');
    const neg = scaled < 0n;
    let s = (neg ? -scaled : scaled).toString();
    if (places > 0) {
      s = s.padStart(places + 1, '0');
      s = s.slice(0, s.length - places) + '.' + s.slice(s.length - places);
      s = s.replace(/\.?0+$/, '');
    }
    return (neg && s !== '0' ? '-' : '') + s + (d === 1n ? '' : '…');
  }

  /** As a percent string, e.g. 0.005 → "0.5%". */
  toPercent(digits = 4): string {
    return this.mul(new Q(100n)).toDecimal(digits) + '%';
  }

  /** For display and sorting only; never feed the result back into money arithmetic. */
  toNumber(): number {
    return Number(this.n) / Number(this.d);
  }

  toString(): string {
    return this.d === 1n ? this.n.toString() : `${this.n}/${this.d}`;
  }
}

function checkInt(v: number): number {
  if (!Number.isSafeInteger(v)) throw new RangeError(`not a safe integer: ${v}`);
  return v;
}
