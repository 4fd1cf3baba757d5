// The benchmark's clause set (issue 4): the same clauses, parameters and year for caijin and every
// peer. All run on one bundle (a Wenzhou-profile demo bundle for 2022), so Linhai's and Liaocheng's
// clauses are computed outside their effective periods on purpose.

export const BENCH_YEAR = 2022;

export interface ClauseRun {
  policy: string;
  clause: string;
}

export const CLAUSES: ClauseRun[] = [
  { policy: 'linhai-2021', clause: '15' },
  { policy: 'wenzhou-2022', clause: '3.1' },
  { policy: 'wenzhou-2022', clause: '7' },
  { policy: 'wenzhou-2022', clause: '8' },
  { policy: 'wenzhou-2022', clause: '9' },
  { policy: 'liaocheng-2023', clause: '7' },
];

/** Parameters per policy (the open ones need a value; the rest keep the policy defaults). */
export const PARAMS: Record<string, Record<string, string>> = {
  'linhai-2021': { '15.budget': '50000000' },
  'wenzhou-2022': { '8.leverage_coefficient': '[{"from":0,"value":1},{"from":5,"value":1.2}]' },
  'liaocheng-2023': {},
};

/** Guarantor indicators of the evaluation (ledger's guarantorIndicators), compared at 8 decimals. */
export const INDICATORS = [
  'newClients',
  'smallMicroAgriClients',
  'newAmount',
  'smallMicroAgriShare',
  'upTo10mShare',
  'averageFeeRate',
  'liabilityBalance',
  'leverage',
  'compensationRate',
  'recoveryRate',
  'provisionCoverage',
  'stateCapitalRatio',
] as const;

/**
 * Every engine reports in this shape: awards keyed `${policy}/${clause}|${recipient}` with yuan
 * amounts "123.45" (zero awards left out), and indicators keyed `${guarantorId}|${name}` with
 * values as decimal strings: money in yuan with 2 decimals, ratios rounded half-up to 8 decimals,
 * counts as integers, and "" for an undefined ratio.
 */
export interface EngineResult {
  awards: Map<string, string>;
  indicators: Map<string, string>;
}

export function compareResults(a: EngineResult, b: EngineResult, limit = 10): string[] {
  const diffs: string[] = [];
  for (const [what, x, y] of [
    ['award', a.awards, b.awards],
    ['indicator', a.indicators, b.indicators],
  ] as const) {
    for (const k of new Set([...x.keys(), ...y.keys()])) {
      const u = x.get(k) ?? (what === 'award' ? '0.00' : '∅');
      const v = y.get(k) ?? (what === 'award' ? '0.00' : '∅');
      if (u !== v) diffs.push(`${what} ${k}: ${u} vs ${v}`);
      if (diffs.length >= limit) return diffs;
    }
  }
  return diffs;
}
