// Maps a model's group expression (`E(3)`, `SO(3)`, `GL+(3)`, `S(5)`, products) to its plugin,
// in the compiler (from the header) and in targets and suites (from the IR's factors). Adding a
// group family means adding its plugin folder and a line in `families` here; nothing else in
// the compiler, the targets or the suite generator names groups.

import type { Group } from './group.js';
import type { Atom } from './rep.js';
import { E3, O3, SE3, SO3 } from './o3/plugins.js';
import { GLPlus, SL } from './gl/plugins.js';
import { E2, O2, SE2, SO2 } from './o2/plugins.js';
import { symmetricGroup } from './perm/plugin.js';
import { flowFamily } from './flow/family.js';
import { productName, withPermutations } from './perm/product.js';
import type { GroupLookup, GroupSpec } from './spec.js';
import type { IRGroup } from '../../ir/types.js';

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
  const written = factors.map((f) => `${f.family}(${[...f.args, ...(f.symbols ?? [])].join(', ')})`).join(' x ');
  const perms = factors.filter((f) => f.family === 'S');
  const others = factors.filter((f) => f.family !== 'S');
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
  const ordered = factors[0]!.family === 'S' ? [perm.group, other.group] : [other.group, perm.group];
  return { ok: true, group: withPermutations(other.group, perm.group, productName(ordered)) };
}

export function knownGroupNames(): string[] {
  return families.map((f) => f.usage);
}

export function lookupGroup(factors: readonly GroupSpec[]): GroupLookup {
  if (factors.length > 1) {
    const unknown = factors.find((f) => !families.some((k) => k.name === f.family));
    if (unknown) return { ok: false, message: `unknown group \`${unknown.family}\``, help: `eqv knows ${knownGroupNames().join(', ')}` };
    return lookupProduct(factors);
  }
  // A header still being written (`model M :` in an editor) has no group yet.
  if (factors.length === 0) return { ok: false, message: 'a model needs a group after `:`', help: `eqv knows ${knownGroupNames().join(', ')}` };
  const spec = factors[0]!;
  const family = families.find((f) => f.name === spec.family);
  if (!family) return { ok: false, message: `unknown group \`${spec.family}\``, help: `eqv knows ${knownGroupNames().join(', ')}` };
  return family.make(spec.args, spec.symbols, spec.named);
}

/** The plugin of an IR module's group, looked up from its factors (never from its printed name). */
export function groupOf(group: Pick<IRGroup, 'factors'>): Group<Atom> | undefined {
  const found = lookupGroup(group.factors);
  return found.ok ? found.group : undefined;
}

/** The IR's record of a group: its name, its factors as written, and what targets read without the plugin. */
export function irGroup(group: Group<Atom>, factors: readonly GroupSpec[]): IRGroup {
  const sorted = (named: Readonly<Record<string, number>>) => Object.fromEntries(Object.keys(named).sort().map((k) => [k, named[k]!]));
  return {
    name: group.name,
    factors: factors.map((f) => ({ family: f.family, args: [...f.args], ...(f.symbols && f.symbols.length > 0 ? { symbols: [...f.symbols] } : {}), ...(f.named && Object.keys(f.named).length > 0 ? { named: sorted(f.named) } : {}) })),
    ...(group.space ? { spaceDim: group.space.dim, translations: group.space.translations } : {}),
    ...(group.permutation?.setSize !== undefined ? { setSize: group.permutation.setSize } : {}),
    ...(group.flow ? { flow: { size: group.flow.size, velocities: group.flow.velocities.map(([x, y]) => [x, y] as const) } } : {}),
  };
}
