// Money in the UI: the server sends yuan as exact decimal strings; here they become integer fen
// (BigInt) and are shown in 元, 万元 or 亿元. A column shown in 万元/亿元 is rounded by largest
// remainder (尾差调整) so that the rows shown add up to the total shown; no float ever touches
// an amount that is added up.
export type MoneyUnit = '元' | '万元' | '亿元';

export function fen(yuan: string | null | undefined): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(yuan ?? '').trim());
  if (!m) return 0n;
  const f = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -f : f;
}

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Fen in units of `step` fen with `decimals` places: 1234567 fen → "12,345.67". */
function show(units: bigint, decimals: number): string {
  const neg = units < 0n;
  const a = neg ? -units : units;
  const s = a.toString().padStart(decimals + 1, '0');
  const int = s.slice(0, s.length - decimals);
  const dec = s.slice(s.length - decimals);
  return `${neg ? '-' : ''}${group(int)}${decimals ? '.' + dec : ''}`;
}

export const UNIT_STEP: Record<MoneyUnit, { step: bigint; decimals: number }> = {
  元: { step: 1n, decimals: 2 },
  万元: { step: 10_000n, decimals: 2 }, // 0.01 万元 = 100 元
  亿元: { step: 1_000_000n, decimals: 4 }, // 0.0001 亿元 = 1 万元
};

function roundHalfUp(f: bigint, step: bigint): bigint {
  if (step === 1n) return f;
  const neg = f < 0n;
  const a = neg ? -f : f;
  const q = (a * 2n + step) / (2n * step);
  return neg ? -q : q;
}

/** One amount in a unit, rounded half-up. */
export function formatMoney(yuan: string | null | undefined, unit: MoneyUnit = '元'): string {
  const { step, decimals } = UNIT_STEP[unit];
  return show(roundHalfUp(fen(yuan), step), decimals);
}

/**
 * A column of non-negative amounts and their total in one unit, the rows adjusted by largest
 * remainder so that they add up to the total shown.
 */
export function formatColumn(yuans: string[], unit: MoneyUnit): { rows: string[]; total: string } {
  const { step, decimals } = UNIT_STEP[unit];
  const fens = yuans.map(fen);
  const total = fens.reduce((a, b) => a + b, 0n);
  const totalUnits = roundHalfUp(total, step);
  if (step === 1n || fens.some((f) => f < 0n)) return { rows: fens.map((f) => show(roundHalfUp(f, step), decimals)), total: show(totalUnits, decimals) };
  const floors = fens.map((f) => f / step);
  let left = totalUnits - floors.reduce((a, b) => a + b, 0n);
  const order = fens.map((f, i) => ({ i, r: f % step })).sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const o of order) {
    if (left <= 0n) break;
    floors[o.i] += 1n;
    left -= 1n;
  }
  return { rows: floors.map((u) => show(u, decimals)), total: show(totalUnits, decimals) };
}

export const sumYuan = (yuans: string[]) => {
  const t = yuans.reduce((a, y) => a + fen(y), 0n);
  const neg = t < 0n;
  const a = neg ? -t : t;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
};
