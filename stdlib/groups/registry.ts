// Maps a model's group expression (`E(3)`, `SO(3)`, later `GL+(3)`, `S(5)`, products) to its
// plugin. Adding a group family means adding a factory here; nothing else in the compiler
// names groups.

import type { Group } from './group.js';
import type { Atom } from './rep.js';
import { E3, O3, SE3, SO3 } from './o3/plugins.js';

/** A group factor as written: its name (`E`, `GL+`) and its numeric arguments. */
export interface GroupSpec {
  readonly name: string;
  readonly args: readonly number[];
}

export type GroupLookup =
  | { readonly ok: true; readonly group: Group<Atom> }
  | { readonly ok: false; readonly message: string; readonly help?: string };

interface Family {
  /** The written name, `+` included. */
  readonly name: string;
  readonly make: (args: readonly number[]) => GroupLookup;
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
  { name: 'O', make: fixedDimension({ 3: O3 }, 'O', ''), usage: 'O(3)' },
  { name: 'SO', make: fixedDimension({ 3: SO3 }, 'SO', ''), usage: 'SO(3)' },
  { name: 'E', make: fixedDimension({ 3: E3 }, 'E', ''), usage: 'E(3)' },
  { name: 'SE', make: fixedDimension({ 3: SE3 }, 'SE', ''), usage: 'SE(3)' },
];

export function knownGroupNames(): string[] {
  return families.map((f) => f.usage);
}

export function lookupGroup(factors: readonly GroupSpec[]): GroupLookup {
  if (factors.length !== 1) {
    return { ok: false, message: `product groups (${factors.map((f) => f.name).join(' x ')}) are not available yet`, help: `use one of ${knownGroupNames().join(', ')}` };
  }
  const spec = factors[0]!;
  const family = families.find((f) => f.name === spec.name);
  if (!family) return { ok: false, message: `unknown group \`${spec.name}\``, help: `eqv knows ${knownGroupNames().join(', ')}` };
  return family.make(spec.args);
}

/** The group of an IR module, from its printed name (`E(3)`, `SO(3)`). */
export function groupByName(name: string): Group<Atom> | undefined {
  const factors = name.split(/\s+x\s+/).map((f) => {
    const m = /^([A-Za-z]+\+?)(?:\((.*)\))?$/.exec(f.trim());
    if (!m) return undefined;
    const args = m[2] === undefined || m[2] === '' ? [] : m[2].split(',').map((a) => Number(a.trim()));
    return { name: m[1]!, args };
  });
  if (factors.some((f) => f === undefined || f.args.some((a) => Number.isNaN(a)))) return undefined;
  const found = lookupGroup(factors as GroupSpec[]);
  return found.ok ? found.group : undefined;
}
