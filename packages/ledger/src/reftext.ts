// The text of a foreign key is, once resolved, the referenced rows' ids: its dictionary codes are
// refIndex numbered in order of first appearance, and its dictionary those rows' ids. A snapshot
// stores only refIndex for such a column (a loan's 10^8 balance rows need no second copy of the
// loan numbers) and the text is made again when something asks for it.
import type { DictColumn } from './types.ts';


/** Columns whose text was made from refIndex here: writing them again needs no check. */
const MADE = new WeakSet<object>();
/** Columns whose every dictionary entry the importer found, by its bytes, as exactly one row's id (refs.ts): their entry count. */
const TEXT_OF_ROWS = new WeakMap<object, number>();

/** The importer found each of `col`'s `count` texts as one row's id: followsRefs need not decode and compare them again. */
export function markTextOfRows(col: object, count: number): void {
  TEXT_OF_ROWS.set(col, count);
}

/** Entry `code` of a column's dictionary, for columns whose dictionary is made on demand. */
export const ENTRY = new WeakMap<object, (code: number) => string>();

/** Entry `code` of a dictionary column, without decoding the others where they are made on demand. */
export function entryOf(col: { dict: readonly string[] }, code: number): string {
  const one = ENTRY.get(col);
  return one ? one(code) : col.dict[code];
}

/** `refIndex` numbered in order of first appearance (-1 stays -1), and the row each code was first given to. */
function numberRefs(refIndex: Int32Array, targetRows: number): { codes: Int32Array; rowOfCode: Int32Array } {
  const codeOfRow = new Int32Array(targetRows).fill(-1);
  const codes = new Int32Array(refIndex.length);
  let rowOfCode = new Int32Array(1024);
  let count = 0;
  for (let i = 0; i < refIndex.length; i++) {
    const r = refIndex[i];
    if (r < 0) {
      codes[i] = -1;
      continue;
    }
    let c = codeOfRow[r];
    if (c < 0) {
      c = codeOfRow[r] = count++;
      if (c === rowOfCode.length) {
        const grown = new Int32Array(c * 2);
        grown.set(rowOfCode);
        rowOfCode = grown;
      }
      rowOfCode[c] = r;
    }
    codes[i] = c;
  }
  return { codes, rowOfCode: rowOfCode.slice(0, count) };
}

/** Whether `col`'s codes and dictionary are exactly those `refIndex` gives with the target's ids (`targetId`: its id column). */
export function followsRefs(col: DictColumn & { refIndex: Int32Array }, targetId: DictColumn | undefined): boolean {
  if (MADE.has(col)) return true;
  const { codes, refIndex } = col;
  if (codes.length !== refIndex.length) return false;
  // one pass: codes must number the rows in order of first appearance
  const rows = targetId ? targetId.codes.length : 0;
  const codeOfRow = new Int32Array(rows).fill(-1);
  const rowOfCode: number[] = [];
  for (let i = 0; i < codes.length; i++) {
    const r = refIndex[i];
    const c = codes[i];
    if (r < 0) {
      if (c >= 0) return false;
      continue;
    }
    if (r >= rows) return false;
    const e = codeOfRow[r];
    if (e < 0) {
      if (c !== rowOfCode.length) return false;
      codeOfRow[r] = c;
      rowOfCode.push(r);
    } else if (e !== c) return false;
  }
  const count = rowOfCode.length;
  const marked = TEXT_OF_ROWS.get(col);
  if (marked !== undefined) return marked === count;
  if (col.dict.length !== count) return false;
  for (let c = 0; c < count; c++) {
    const idCode = (targetId as DictColumn).codes[rowOfCode[c]];
    if (idCode < 0 || entryOf(col, c) !== entryOf(targetId as DictColumn, idCode)) return false;
  }
  return true;
}

/**
 * Gives `col` (already holding `refIndex`) codes and a dictionary made from refIndex on first use.
 * `targetId` gives the referenced table's id column and its row count when they are first needed.
 */
export function makeRefText(col: Record<string, unknown>, targetId: () => DictColumn): void {
  let made: { codes: Int32Array; rowOfCode: Int32Array } | undefined;
  let dict: string[] | undefined;
  const make = (): { codes: Int32Array; rowOfCode: Int32Array } => {
    if (made) return made;
    const refIndex = col.refIndex as Int32Array;
    let any = false;
    for (let i = 0; i < refIndex.length && !any; i++) any = refIndex[i] >= 0;
    made = numberRefs(refIndex, any ? targetId().codes.length : 0);
    return made;
  };
  const idOf = (code: number): string => {
    const id = targetId();
    return entryOf(id, id.codes[make().rowOfCode[code]]);
  };
  MADE.add(col);
  ENTRY.set(col, (code) => (dict ? dict[code] : idOf(code)));
  Object.defineProperty(col, 'codes', {
    enumerable: true,
    configurable: true,
    get: () => make().codes,
    set(v: Int32Array) {
      made = { codes: v, rowOfCode: make().rowOfCode };
      MADE.delete(col);
    },
  });
  Object.defineProperty(col, 'dict', {
    enumerable: true,
    configurable: true,
    get(): string[] {
      if (!dict) {
        // every entry: the referenced ids decoded all at once, not one by one
        const rows = make().rowOfCode;
        dict = new Array<string>(rows.length);
        if (rows.length) {
          // (an empty foreign key may point at a table the bundle does not have: asked for only here)
          const id = targetId();
          const ids = id.dict;
          for (let c = 0; c < rows.length; c++) dict[c] = ids[id.codes[rows[c]]];
        }
      }
      return dict;
    },
    set(v: string[]) {
      dict = v;
      MADE.delete(col);
    },
  });
}
