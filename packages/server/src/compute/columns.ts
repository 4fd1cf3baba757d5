// Reading a bundle's typed columns by name, for the platform's own figures (monitoring, the
// monthly report, the competitive deposit). Missing columns read as empty.
import type { Table } from '@caijin/ledger';

export const nums = (t: Table | undefined, key: string): Float64Array => {
  const c = t?.columns[key];
  return c && 'values' in c && c.values instanceof Float64Array ? c.values : new Float64Array(t?.length ?? 0).fill(NaN);
};

export const strs = (t: Table | undefined, key: string): ((i: number) => string) => {
  const c = t?.columns[key];
  if (!c || !('codes' in c)) return () => '';
  return (i) => (c.codes[i] >= 0 ? c.dict[c.codes[i]] : '');
};

export const refs = (t: Table | undefined, key: string): Int32Array => {
  const c = t?.columns[key];
  return c && 'refIndex' in c && c.refIndex ? c.refIndex : new Int32Array(t?.length ?? 0).fill(-1);
};

export const hasTag = (t: Table | undefined, key: string, tag: string): ((i: number) => boolean) => {
  const c = t?.columns[key];
  if (!c || !('masks' in c)) return () => false;
  const bit = c.tags.indexOf(tag);
  return bit < 0 ? () => false : (i) => (c.masks[i] & (1 << bit)) !== 0;
};
