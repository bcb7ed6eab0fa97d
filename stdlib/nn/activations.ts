// Scalar activation functions in float64, e3nn's second-moment normalization of them, and
// e3nn's parity rule for activations on odd scalars (nn.Activation). Every target evaluates
// act(x) * scale with the scale taken from here, so the constants live in one place.

import type { ActivationName, ScaledActivation } from '../../ir/types.js';
import type { ScalarKind } from '../groups/group.js';

export const ACTIVATION_NAMES: readonly ActivationName[] = ['silu', 'tanh', 'relu', 'sigmoid', 'abs', 'gelu', 'ssp', 'identity'];

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The error function to about 1e-16 relative error (JavaScript has none). Below |x| = 2.5 the
 * series erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1)), whose terms are
 * all positive (no cancellation); above, 1 - erfc(x) with erfc's continued fraction (Lentz).
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  let r: number;
  if (ax < 2.5) {
    const x2 = ax * ax;
    let term = ax;
    let sum = ax;
    for (let k = 1; k < 200; k++) {
      term *= (2 * x2) / (2 * k + 1);
      sum += term;
      if (term <= 1e-17 * sum) break;
    }
    r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  } else if (ax < 30) {
    r = 1 - erfcContinuedFraction(ax);
  } else {
    r = 1;
  }
  return x < 0 ? -r : r;
}

/** erfc(x) for x >= 2.5: e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 300; k++) {
    const a = k / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** torch.nn.functional.softplus with beta = 1 and threshold = 20 (linear above the threshold). */
function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

/** The raw function, as torch computes it (silu = x / (1 + e^-x), gelu in its erf form). */
export function activationFunction(name: ActivationName): (x: number) => number {
  switch (name) {
    case 'silu':
      return (x) => x / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh;
    case 'relu':
      return (x) => (x > 0 ? x : 0);
    case 'sigmoid':
      return (x) => 1 / (1 + Math.exp(-x));
    case 'abs':
      return Math.abs;
    case 'gelu':
      // torch.nn.functional.gelu(approximate='none'): x * 0.5 * (1 + erf(x / sqrt 2)).
      return (x) => x * 0.5 * (1 + erf(x * Math.SQRT1_2));
    case 'ssp':
      // Shifted softplus as NequIP/SchNet define it: softplus(x) - log 2 = log(0.5 e^x + 0.5).
      return (x) => softplus(x) - Math.LN2;
    case 'identity':
      return (x) => x;
  }
}

/**
 * e3nn's normalize2mom constants c = <f(z)^2>^(-1/2), z ~ N(0, 1), exactly as e3nn 0.5.6
 * computes them: a Monte-Carlo mean over the 1,000,000 float64 samples of
 * torch.randn(generator=torch.Generator().manual_seed(0)) (e3nn/math/_normalize_activation.py).
 * silu, tanh, relu, sigmoid, abs and gelu are `normalize2mom.constants[*].cst_e3nn` of
 * test/fixtures/e3nn-basis.json (computed by the real e3nn). The fixture has no entry for the
 * shifted softplus (its `ssp_softplus` entry is plain softplus, 1.0426...), so ssp's constant was
 * computed with the same 1,000,000 samples by a replica of torch's generator (mt19937 + its
 * 16-wide Box-Muller), which reproduces every fixture entry to 1e-14; the test in
 * test/stdlib/nn/activations.test.ts reruns that replica and checks all of them.
 */
const E3NN_NORMALIZE2MOM: Readonly<Record<ActivationName, number>> = {
  silu: 1.6791767923989418,
  tanh: 1.5937334472592695,
  relu: 1.4163393446331365,
  sigmoid: 1.8467055342154763,
  abs: 1.001110600838467,
  gelu: 1.5360642850770576,
  ssp: 1.8782046685415783,
  identity: 1,
};

/** The factor e3nn multiplies the activation by; 1 where |c - 1| < 1e-4 (normalize2mom's `_is_id`). */
export function normalize2mom(name: ActivationName): number {
  const c = E3NN_NORMALIZE2MOM[name];
  return Math.abs(c - 1) < 1e-4 ? 1 : c;
}

/** An activation as the IR carries it: normalized (e3nn's Activation, Gate, FullyConnectedNet) or raw (NormActivation). */
export function scaledActivation(name: ActivationName, normalize = true): ScaledActivation {
  return { act: name, scale: normalize ? normalize2mom(name) : 1 };
}

export function applyScaled(a: ScaledActivation): (x: number) => number {
  const f = activationFunction(a.act);
  const s = a.scale;
  return s === 1 ? f : (x) => f(x) * s;
}

/**
 * The derivative of the raw function, for reverse mode (targets/ref/grad.ts). At kinks (relu
 * and abs at 0) it is the value PyTorch's autograd uses: 0.
 */
export function activationDerivative(name: ActivationName): (x: number) => number {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  switch (name) {
    case 'silu':
      return (x) => {
        const s = sigmoid(x);
        return s * (1 + x * (1 - s));
      };
    case 'tanh':
      return (x) => {
        const t = Math.tanh(x);
        return 1 - t * t;
      };
    case 'relu':
      return (x) => (x > 0 ? 1 : 0);
    case 'sigmoid':
      return (x) => {
        const s = sigmoid(x);
        return s * (1 - s);
      };
    case 'abs':
      return (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);
    case 'gelu':
      // d/dx x Φ(x) = Φ(x) + x φ(x).
      return (x) => 0.5 * (1 + erf(x * Math.SQRT1_2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
    case 'ssp':
      // softplus' = sigmoid (torch's threshold: 1 above 20).
      return (x) => (x > 20 ? 1 : sigmoid(x));
    case 'identity':
      return () => 1;
  }
}

/** d/dx of applyScaled(a). */
export function applyScaledDerivative(a: ScaledActivation): (x: number) => number {
  const f = activationDerivative(a.act);
  const s = a.scale;
  return s === 1 ? f : (x) => f(x) * s;
}

export type ActivationParity = 'even' | 'odd' | 'neither';

/** activationParity's answers by act and scale: each check of a program asks again. */
const parities = new Map<string, ActivationParity>();

/**
 * e3nn nn.Activation's classification: on x = linspace(0, 10, 256), the (normalized) act is
 * even when max |f(x) - f(-x)| < 1e-5, odd when max |f(x) + f(-x)| < 1e-5, else neither.
 */
export function activationParity(a: ScaledActivation | ActivationName): ActivationParity {
  const scaled = typeof a === 'string' ? scaledActivation(a) : a;
  const key = `${scaled.act} ${scaled.scale}`;
  let parity = parities.get(key);
  if (parity === undefined) parities.set(key, (parity = sampledParity(applyScaled(scaled))));
  return parity;
}

function sampledParity(f: (x: number) => number): ActivationParity {
  let maxEven = 0;
  let maxOdd = 0;
  for (let i = 0; i < 256; i++) {
    const x = (10 * i) / 255;
    const a1 = f(x);
    const a2 = f(-x);
    maxEven = Math.max(maxEven, Math.abs(a1 - a2));
    maxOdd = Math.max(maxOdd, Math.abs(a1 + a2));
  }
  if (maxEven < 1e-5) return 'even';
  if (maxOdd < 1e-5) return 'odd';
  return 'neither';
}

/**
 * The kind of scalar an activation produces (e3nn: p_out = p_act if p_in = -1 else p_in):
 * even inputs stay even; on odd inputs an odd act keeps them odd, an even act makes them even,
 * and an act that is neither breaks parity (undefined; e3nn raises "the parity is violated").
 */
export function activationOutputKind(input: ScalarKind, a: ScaledActivation | ActivationName): ScalarKind | undefined {
  if (input === 'even') return 'even';
  const parity = activationParity(a);
  if (parity === 'odd') return 'odd';
  if (parity === 'even') return 'even';
  return undefined;
}

/** e3nn's message for that case, kept for diagnostics and tests. */
export const PARITY_VIOLATION_MESSAGE = 'Activation: the parity is violated! The input scalar is odd but the activation is neither even nor odd.';
