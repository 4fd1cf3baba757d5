// Command-line parsing for `caijin`: flags with values, repeatable flags, and usage errors.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
}

/** Flags that take no value. */
const SWITCHES = new Set(['help', 'no-trace', 'zh-headers', 'demo']);

export function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      let name = a.slice(2);
      let value: string;
      const eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      } else if (SWITCHES.has(name)) value = 'true';
      else {
        if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
        value = argv[++i];
      }
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else if (a === '-h') flags.set('help', ['true']);
    else positional.push(a);
  }
  return { positional, flags };
}

export function one(p: Parsed, name: string, required = false): string | undefined {
  const v = p.flags.get(name);
  if (!v || v.length === 0) {
    if (required) throw new UsageError(`missing --${name}`);
    return undefined;
  }
  if (v.length > 1) throw new UsageError(`--${name} given more than once`);
  return v[0];
}

export function many(p: Parsed, name: string): string[] {
  return p.flags.get(name) ?? [];
}

export function onlyFlags(p: Parsed, allowed: readonly string[]): void {
  for (const k of p.flags.keys()) {
    if (!allowed.includes(k) && k !== 'help') throw new UsageError(`unknown option --${k}`);
  }
}

export function yearArg(p: Parsed): number {
  const y = one(p, 'year', true)!;
  if (!/^\d{4}$/.test(y)) throw new UsageError(`--year must be four digits, not '${y}'`);
  return Number(y);
}
