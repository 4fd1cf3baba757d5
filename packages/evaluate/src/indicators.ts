// Indicators an evaluation can take from the ledgers (--data) instead of a sheet row: the
// standard guarantor indicators of domain-brief §3, computed by @caijin/ledger (经营类 only).

import { Q } from '@caijin/core';
import { guarantorIndicators, type Bundle, type GuarantorIndicators } from '@caijin/ledger';
import type { Scheme, ValueUnit } from './scheme.ts';

interface DataIndicator {
  zh: string;
  unit: ValueUnit;
  get(g: GuarantorIndicators): Q | null;
}

const fen = (n: number) => Q.int(n);

/** Keys usable as `data:` in a scheme. */
export const DATA_INDICATORS: Record<string, DataIndicator> = {
  new_small_micro_agri_clients: { zh: '当年新增小微企业和“三农”担保户数', unit: 'number', get: (g) => Q.int(g.smallMicroAgriClients) },
  small_micro_agri_share: { zh: '当年新增小微企业和“三农”担保金额占比', unit: 'rate', get: (g) => g.smallMicroAgriShare },
  small_micro_agri_client_share: { zh: '当年新增小微企业和“三农”担保户数占比', unit: 'rate', get: (g) => g.smallMicroAgriClientShare },
  up_to_10m_share: { zh: '当年新增单户1000万元及以下担保金额占比', unit: 'rate', get: (g) => g.upTo10mShare },
  average_fee_rate: { zh: '当年平均担保费率（按金额加权）', unit: 'rate', get: (g) => g.averageFeeRate },
  liability_balance: { zh: '年末融资担保责任余额', unit: 'money', get: (g) => g.liabilityBalance },
  new_amount: { zh: '当年新增融资担保金额', unit: 'money', get: (g) => fen(g.newAmount) },
  balance_increment: { zh: '在保余额较上年末增量', unit: 'money', get: (g) => fen(g.balanceIncrement) },
  leverage: { zh: '融资担保放大倍数', unit: 'number', get: (g) => g.leverage },
  state_capital_ratio: { zh: '国有资本保值增值率', unit: 'rate', get: (g) => g.stateCapitalRatio },
  compensation_rate: { zh: '担保代偿率', unit: 'rate', get: (g) => g.compensationRate },
  provision_coverage: { zh: '拨备覆盖率', unit: 'rate', get: (g) => g.provisionCoverage },
  recovery_rate: { zh: '担保代偿回收率', unit: 'rate', get: (g) => g.recoveryRate },
};

export interface DataUnit {
  id: string;
  name: string;
  values: Map<string, Q | null>;
}

function textColumn(bundle: Bundle, key: string, row: number): string | null {
  const c = bundle.tables.institutions?.columns[key];
  if (!c || !('codes' in c)) return null;
  const code = c.codes[row];
  return code < 0 ? null : c.dict[code];
}

/** The scheme's units found in the bundle, with every data indicator the scheme uses. */
export function dataUnits(scheme: Scheme, bundle: Bundle, year: number, used: string[]): DataUnit[] {
  for (const k of used) if (!DATA_INDICATORS[k]) throw new Error(`scheme ${scheme.id} uses unknown data indicator '${k}'`);
  if (scheme.units.table !== 'institutions') return [];
  const gb = bundle.tables.institutions?.columns.government_backed;
  const out: DataUnit[] = [];
  for (const g of guarantorIndicators(bundle, year)) {
    if (scheme.units.kinds && !scheme.units.kinds.includes(g.kind)) continue;
    if (scheme.units.governmentBacked && !(gb && 'values' in gb && gb.values[g.institution] === 1)) continue;
    const values = new Map<string, Q | null>();
    for (const k of used) values.set(k, DATA_INDICATORS[k].get(g));
    out.push({ id: g.id, name: textColumn(bundle, 'name', g.institution) ?? g.id, values });
  }
  return out;
}
