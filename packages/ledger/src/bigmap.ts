// A Map for more entries than V8 allows in one (2^23 = 8,388,608 in Node 24: a province has
// 10 million loan numbers). Entries go into one Map until it holds `limit`, then into the next;
// with a single Map (every bundle below the limit) a look-up is one Map.get.

const DEFAULT_LIMIT = 8_000_000;

export class BigMap<K, V> {
  private readonly maps: Map<K, V>[];
  private last: Map<K, V>;
  private readonly limit: number;

  constructor(limit = DEFAULT_LIMIT) {
    this.limit = limit;
    this.last = new Map();
    this.maps = [this.last];
  }

  get(k: K): V | undefined {
    const maps = this.maps;
    if (maps.length === 1) return this.last.get(k);
    for (let i = 0; i < maps.length; i++) {
      const v = maps[i].get(k);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  has(k: K): boolean {
    for (const m of this.maps) if (m.has(k)) return true;
    return false;
  }

  set(k: K, v: V): this {
    const maps = this.maps;
    for (let i = 0; i < maps.length - 1; i++) {
      if (maps[i].has(k)) {
        maps[i].set(k, v);
        return this;
      }
    }
    if (this.last.size >= this.limit && !this.last.has(k)) {
      this.last = new Map();
      maps.push(this.last);
    }
    this.last.set(k, v);
    return this;
  }

  get size(): number {
    let n = 0;
    for (const m of this.maps) n += m.size;
    return n;
  }
}
