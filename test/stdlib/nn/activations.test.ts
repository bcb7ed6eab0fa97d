import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ActivationName } from '../../../ir/types.js';
import { Irreps } from '../../../stdlib/groups/o3/index.js';
import { O3 } from '../../../stdlib/groups/o3/plugins.js';
import {
  ACTIVATION_NAMES,
  activationFunction,
  activationOutputKind,
  activationParity,
  erf,
  normalize2mom,
  scaledActivation,
} from '../../../stdlib/nn/activations.js';
import { torchRandnFloat64 } from './torchRandn.js';

interface Normalize2momFixture {
  constants: Record<string, { cst_e3nn: number; is_identity: boolean; cst_exact_quadrature: number }>;
}
interface ParityCase {
  irreps_in: string;
  acts: string;
  ok: boolean;
  irreps_out?: string;
  error_message?: string;
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/e3nn-basis.json', import.meta.url)), 'utf8')) as {
  normalize2mom: Normalize2momFixture;
  activation_parity: ParityCase[];
};

describe('normalize2mom', () => {
  it('hard-codes e3nn’s Monte-Carlo constants from the fixture', () => {
    for (const name of ['silu', 'sigmoid', 'tanh', 'relu', 'abs', 'gelu'] as const) {
      expect(normalize2mom(name)).toBe(fixture.normalize2mom.constants[name]!.cst_e3nn);
    }
    expect(normalize2mom('identity')).toBe(1);
  });

  it('reproduces every fixture constant and ssp’s from torch’s 1,000,000 samples', () => {
    const z = torchRandnFloat64(1_000_000, 0);
    const moment = (f: (x: number) => number) => {
      let s = 0;
      for (let i = 0; i < z.length; i++) s += f(z[i]!) ** 2;
      return (s / z.length) ** -0.5;
    };
    for (const name of ['silu', 'sigmoid', 'tanh', 'relu', 'abs', 'gelu'] as const) {
      const c = moment(activationFunction(name));
      expect(Math.abs(c - fixture.normalize2mom.constants[name]!.cst_e3nn)).toBeLessThan(1e-12);
    }
    // The fixture's `ssp_softplus` entry is plain softplus; the replica reproduces it too ...
    const softplus = moment((x) => Math.log1p(Math.exp(x)));
    expect(Math.abs(softplus - fixture.normalize2mom.constants.ssp_softplus!.cst_e3nn)).toBeLessThan(1e-12);
    // ... and gives the shifted softplus its constant, far from softplus's.
    expect(Math.abs(moment(activationFunction('ssp')) - normalize2mom('ssp'))).toBeLessThan(1e-12);
    expect(normalize2mom('ssp')).toBeGreaterThan(1.8);
  });

  it('is within 0.3% of the exact second moment', () => {
    for (const name of ['silu', 'sigmoid', 'tanh', 'relu', 'gelu'] as const) {
      const exact = fixture.normalize2mom.constants[name]!.cst_exact_quadrature;
      expect(Math.abs(normalize2mom(name) / exact - 1)).toBeLessThan(3e-3);
    }
  });
});

describe('activation functions', () => {
  it('match torch’s definitions at known points', () => {
    expect(activationFunction('silu')(1)).toBeCloseTo(0.7310585786300049, 15);
    expect(activationFunction('sigmoid')(-2)).toBeCloseTo(0.11920292202211755, 15);
    expect(activationFunction('gelu')(1)).toBeCloseTo(0.8413447460685429, 15);
    expect(activationFunction('gelu')(-3)).toBeCloseTo(-0.00404969409489031, 15);
    expect(activationFunction('ssp')(0)).toBe(0);
    expect(activationFunction('ssp')(2)).toBeCloseTo(Math.log(0.5 * Math.exp(2) + 0.5), 15);
    expect(activationFunction('ssp')(30)).toBeCloseTo(30 - Math.LN2, 12);
    expect(activationFunction('relu')(-1)).toBe(0);
  });

  it('erf agrees with reference values to 1e-15', () => {
    const cases: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [2.5, 0.999593047982555],
      [3, 0.9999779095030014],
      [-1.5, -0.9661051464753108],
      [5, 0.9999999999984626],
    ];
    for (const [x, v] of cases) expect(Math.abs(erf(x) - v)).toBeLessThan(1e-15);
    expect(erf(0)).toBe(0);
  });

  it('scales by normalize2mom unless asked for the raw function', () => {
    expect(scaledActivation('silu')).toEqual({ act: 'silu', scale: 1.6791767923989418 });
    expect(scaledActivation('silu', false)).toEqual({ act: 'silu', scale: 1 });
  });
});

describe('parity (e3nn nn.Activation)', () => {
  it('classifies every activation', () => {
    const expected: Record<ActivationName, string> = {
      silu: 'neither',
      tanh: 'odd',
      relu: 'neither',
      sigmoid: 'neither',
      abs: 'even',
      gelu: 'neither',
      ssp: 'neither',
      identity: 'odd',
    };
    for (const name of ACTIVATION_NAMES) expect(activationParity(name), name).toBe(expected[name]);
  });

  it('reproduces the fixture’s activation_parity cases', () => {
    expect(fixture.activation_parity.length).toBeGreaterThan(0);
    for (const c of fixture.activation_parity) {
      const irreps = Irreps.parse(c.irreps_in);
      const acts = c.acts.split(',') as ActivationName[];
      const out: string[] = [];
      let ok = true;
      irreps.blocks.forEach((b, i) => {
        const kind = activationOutputKind(O3.scalarKind(b.ir)!, acts[i]!);
        if (kind === undefined) ok = false;
        else out.push(`${b.mul}x${O3.scalarOfKind(kind)!.toString()}`);
      });
      expect(ok, c.irreps_in + ' ' + c.acts).toBe(c.ok);
      if (c.ok) expect(out.join('+')).toBe(c.irreps_out);
    }
  });

  it('keeps even scalars even whatever the act', () => {
    for (const name of ACTIVATION_NAMES) expect(activationOutputKind('even', name)).toBe('even');
    expect(activationOutputKind('odd', 'silu')).toBeUndefined();
    expect(activationOutputKind('odd', 'abs')).toBe('even');
    expect(activationOutputKind('odd', 'tanh')).toBe('odd');
  });
});
