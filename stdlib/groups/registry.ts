// Maps a model's group expression (`E(3)`, `SO(3)`, later `GL+(3)`, `S(5)`, products) to its
// plugin. Adding a group family means adding a factory here; nothing else in the compiler
// names groups.

import type { Group } from './group.js';
import type { Atom } from './rep.js';
import { E3, O3, SE3, SO3 } from './o3/plugins.js';
import { GLPlus, SL } from './gl/plugins.js';
import { E2, O2, SE2, SO2 } from './o2/plugins.js';
import { symmetricGroup } from './perm/plugin.js';
import { flowFamily } from './flow/family.js';
import { productName, withPermutations } from './perm/product.js';
import type { GroupLookup, GroupSpec } from './spec.js';

export type { GroupLookup, GroupSpec } from './spec.js';


interface Family {
  /** The written name, `+` included. */
  readonly name: string;
  readonly make: (args: readonly number[], symbols?: readonly string[], named?: Readonly<Record<string, number>>) => GroupLookup;
  /** How the family is written, for help lines. */
  readonly usage: string;
}

function fixedDimension(groups: Record<number, Group<Atom>>, name: string, planned: string) {
  return (args: readonly number[]): GroupLookup => {
    const n = args[0];
    if (args.length !== 1 || n === undefined) return { ok: false, message: `${name} takes one argument, the dimension`, help: `write ${name}(3)` };
    const g = groups[n];
    if (g) return { ok: true, group: g };
    return { ok: false, message: `${name}(${n}) is not available`, help: `eqv provides ${Object.keys(groups).map((k) => `${name}(${k})`).join(', ')}${planned}` };
  };
}

const families: Family[] = [
  { name: 'O', make: fixedDimension({ 2: O2, 3: O3 }, 'O', ''), usage: 'O(2), O(3)' },
  { name: 'SO', make: fixedDimension({ 2: SO2, 3: SO3 }, 'SO', ''), usage: 'SO(2), SO(3)' },
  { name: 'E', make: fixedDimension({ 2: E2, 3: E3 }, 'E', ''), usage: 'E(2), E(3)' },
  { name: 'SE', make: fixedDimension({ 2: SE2, 3: SE3 }, 'SE', ''), usage: 'SE(2), SE(3)' },
  { name: 'S', make: symmetricFamily, usage: 'S(n)' },
  { name: 'GL+', make: fixedDimension(GLPlus, 'GL+', ''), usage: 'GL+(2), GL+(3), GL+(4)' },
  { name: 'SL', make: fixedDimension(SL, 'SL', ''), usage: 'SL(2), SL(3), SL(4)' },
  { name: 'Flow', make: flowFamily, usage: 'Flow(T2, size = n)' },
];

/** `S(n)` (a name: sets of any size) or `S(5)` (every set has exactly 5 nodes). */
function symmetricFamily(args: readonly number[], symbols: readonly string[] = []): GroupLookup {
  if (args.length + symbols.length !== 1) return { ok: false, message: 'S takes one argument, the number of nodes of a set', help: 'write `S(n)` for sets of any size, or `S(5)` for sets of exactly 5 nodes' };
  if (symbols.length === 1) return { ok: true, group: symmetricGroup() };
  const n = args[0]!;
  if (!Number.isInteger(n) || n < 1) return { ok: false, message: `S(${n}) is not a permutation group: n must be a whole number of nodes, at least 1`, help: 'write `S(n)` for sets of any size, or `S(5)` for sets of exactly 5 nodes' };
  return { ok: true, group: symmetricGroup(n) };
}

/** A product `G x S(n)`: only S(n) may be a second factor (it acts on nodes, G on channels). */
function lookupProduct(factors: readonly GroupSpec[]): GroupLookup {
  const written = factors.map((f) => `${f.name}(${[...f.args, ...(f.symbols ?? [])].join(', ')})`).join(' x ');
  const perms = factors.filter((f) => f.name === 'S');
  const others = factors.filter((f) => f.name !== 'S');
  if (perms.length !== 1 || others.length !== 1) {
    return {
      ok: false,
      code: 'E0801',
      message: `the product ${written} is not supported`,
      help: 'a product pairs one group acting on channels with the permutations of the nodes: `E(3) x S(n)`, `SO(3) x S(5)`; two groups acting on the same channels (such as E(3) x SO(3)) have no joint representations in eqv',
    };
  }
  const perm = lookupGroup([perms[0]!]);
  if (!perm.ok) return perm;
  const other = lookupGroup([others[0]!]);
  if (!other.ok) return other;
  if (other.group.permutation) return { ok: false, code: 'E0801', message: `the product ${written} is not supported: ${other.group.name} already permutes nodes`, help: 'write one `S(n)` factor' };
  const ordered = factors[0]!.name === 'S' ? [perm.group, other.group] : [other.group, perm.group];
  return { ok: true, group: withPermutations(other.group, perm.group, productName(ordered)) };
}

export function knownGroupNames(): string[] {
  return families.map((f) => f.usage);
}

export function lookupGroup(factors: readonly GroupSpec[]): GroupLookup {
  if (factors.length > 1) {
    const unknown = factors.find((f) => !families.some((k) => k.name === f.name));
    if (unknown) return { ok: false, message: `unknown group \`${unknown.name}\``, help: `eqv knows ${knownGroupNames().join(', ')}` };
    return lookupProduct(factors);
  }
  // A header still being written (`model M :` in an editor) has no group yet.
  if (factors.length === 0) return { ok: false, message: 'a model needs a group after `:`', help: `eqv knows ${knownGroupNames().join(', ')}` };
  const spec = factors[0]!;
  const family = families.find((f) => f.name === spec.name);
  if (!family) return { ok: false, message: `unknown group \`${spec.name}\``, help: `eqv knows ${knownGroupNames().join(', ')}` };
  return family.make(spec.args, spec.symbols, spec.named);
}

/** The group of an IR module, from its printed name (`E(3)`, `SO(3)`). */
export function groupByName(name: string): Group<Atom> | undefined {
  const factors = name.split(/\s+x\s+/).map((f) => {
    const m = /^([A-Za-z]+\+?)(?:\((.*)\))?$/.exec(f.trim());
    if (!m) return undefined;
    const written = m[2] === undefined || m[2] === '' ? [] : m[2].split(',').map((a) => a.trim());
    // `S(n)`: an argument written as a name.
    const symbols = written.filter((a) => /^[A-Za-z_]\w*$/.test(a));
    // `size = 8`: a named argument (flows).
    const named: Record<string, number> = {};
    for (const a of written) {
      const kv = /^([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(a);
      if (kv) named[kv[1]!] = Number(kv[2]);
    }
    const args = written.filter((a) => !symbols.includes(a) && !/=/.test(a)).map(Number);
    return { name: m[1]!, args, ...(symbols.length > 0 ? { symbols } : {}), ...(Object.keys(named).length > 0 ? { named } : {}) };
  });
  if (factors.some((f) => f === undefined || f.args.some((a) => Number.isNaN(a)))) return undefined;
  const found = lookupGroup(factors as GroupSpec[]);
  return found.ok ? found.group : undefined;
}
