// A function body as bytes, one method per instruction the kernels use (the subset of the
// WebAssembly 2.0 core and SIMD128 instruction sets eqv emits). Opcodes are the spec's
// (5.4 Instructions); SIMD instructions are the 0xFD prefix and a u32 LEB sub-opcode.

import { sleb, uleb } from './leb.js';

export type ValType = 'i32' | 'f32' | 'v128';
export const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

const SIMD = {
  'v128.load': 0x00,
  'v128.load32_splat': 0x09,
  'v128.load32_lane': 0x56,
  'v128.store': 0x0b,
  'f32x4.splat': 0x13,
  'f32x4.extract_lane': 0x1f,
  'f32x4.replace_lane': 0x20,
  'f32x4.gt': 0x44,
  'v128.and': 0x4e,
  'v128.bitselect': 0x52,
  'f32x4.abs': 0xe0,
  'f32x4.neg': 0xe1,
  'f32x4.sqrt': 0xe3,
  'f32x4.add': 0xe4,
  'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6,
  'f32x4.div': 0xe7,
  'f32x4.min': 0xe8,
  'f32x4.max': 0xe9,
  'f32x4.nearest': 0x6a,
  'i32x4.shl': 0xab,
  'i32x4.add': 0xae,
  'i32x4.trunc_sat_f32x4_s': 0xf8,
  'f32x4.demote_f64x2_zero': 0x5e,
  'f64x2.promote_low_f32x4': 0x5f,
} as const;
export type SimdOp = keyof typeof SIMD;

const PLAIN = {
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.lt_s': 0x48,
  'i32.lt_u': 0x49,
  'i32.shl': 0x74,
  'i32.eqz': 0x45,
  'f32.add': 0x92,
  'f32.sub': 0x93,
  'f32.mul': 0x94,
  'f32.div': 0x95,
  'f32.sqrt': 0x91,
  'f32.max': 0x97,
  'f32.demote_f64': 0xb6,
  'f64.promote_f32': 0xbb,
  drop: 0x1a,
  select: 0x1b,
} as const;
export type PlainOp = keyof typeof PLAIN;

/** Natural alignments (log2 bytes) of the loads and stores. */
const ALIGN = { 'i32.load': 2, 'f32.load': 2, 'f32.store': 2, 'f64.load': 3, 'f64.store': 3, 'v128.load': 4, 'v128.load32_splat': 2, 'v128.store': 4 } as const;

export class Code {
  readonly bytes: number[] = [];
  private depth = 0;

  private push(...b: number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }
  op(name: PlainOp): this {
    return this.push(PLAIN[name]);
  }
  simd(name: SimdOp): this {
    return this.push(0xfd, ...uleb(SIMD[name]));
  }
  localGet(i: number): this {
    return this.push(0x20, ...uleb(i));
  }
  localSet(i: number): this {
    return this.push(0x21, ...uleb(i));
  }
  localTee(i: number): this {
    return this.push(0x22, ...uleb(i));
  }
  i32(v: number): this {
    return this.push(0x41, ...sleb(v | 0));
  }
  f32(v: number): this {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    return this.push(0x43, ...b);
  }
  /** A memory access with its static byte offset (which must fit a u32). */
  private mem(prefix: number[], align: number, offset: number): this {
    return this.push(...prefix, ...uleb(align), ...uleb(offset));
  }
  i32Load(offset = 0): this {
    return this.mem([0x28], ALIGN['i32.load'], offset);
  }
  f32Load(offset = 0): this {
    return this.mem([0x2a], ALIGN['f32.load'], offset);
  }
  f32Store(offset = 0): this {
    return this.mem([0x38], ALIGN['f32.store'], offset);
  }
  f64Load(offset = 0): this {
    return this.mem([0x2b], ALIGN['f64.load'], offset);
  }
  f64Store(offset = 0): this {
    return this.mem([0x39], ALIGN['f64.store'], offset);
  }
  v128Load(offset = 0): this {
    return this.mem([0xfd, ...uleb(SIMD['v128.load'])], ALIGN['v128.load'], offset);
  }
  v128Load32Splat(offset = 0): this {
    return this.mem([0xfd, ...uleb(SIMD['v128.load32_splat'])], ALIGN['v128.load32_splat'], offset);
  }
  /** Replaces one f32 lane of the v128 on the stack's top with the float at the address under it. */
  v128Load32Lane(offset: number, lane: number): this {
    return this.mem([0xfd, ...uleb(SIMD['v128.load32_lane'])], ALIGN['v128.load32_splat'], offset).push(lane);
  }
  v128Store(offset = 0): this {
    return this.mem([0xfd, ...uleb(SIMD['v128.store'])], ALIGN['v128.store'], offset);
  }
  /** v128.const of four equal f32 lanes. */
  f32x4Const(v: number): this {
    const b = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
    return this.push(0xfd, ...uleb(0x0c), ...b);
  }
  /** v128.const of four equal i32 lanes. */
  i32x4Const(v: number): this {
    const b = new Uint8Array(new Int32Array([v, v, v, v]).buffer);
    return this.push(0xfd, ...uleb(0x0c), ...b);
  }
  lane(name: 'f32x4.extract_lane' | 'f32x4.replace_lane', lane: number): this {
    return this.push(0xfd, ...uleb(SIMD[name]), lane);
  }
  /** i8x16.shuffle of two v128 by f32 lanes: lanes 0-3 pick from the first, 4-7 from the second. */
  shuffle32(lanes: readonly [number, number, number, number]): this {
    const bytes = lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
    return this.push(0xfd, ...uleb(0x0d), ...bytes);
  }
  /** `block` (void): `br 0` inside jumps past its end. */
  block(body: (c: this) => void): this {
    this.push(0x02, 0x40);
    this.depth++;
    body(this);
    this.depth--;
    return this.push(0x0b);
  }
  /** `loop` (void): `br 0` inside jumps back to its start. */
  loop(body: (c: this) => void): this {
    this.push(0x03, 0x40);
    this.depth++;
    body(this);
    this.depth--;
    return this.push(0x0b);
  }
  br(label: number): this {
    return this.push(0x0c, ...uleb(label));
  }
  brIf(label: number): this {
    return this.push(0x0d, ...uleb(label));
  }
  /** The function's closing `end`. */
  end(): number[] {
    if (this.depth !== 0) throw new Error('wasm encoder: unbalanced blocks');
    return [...this.bytes, 0x0b];
  }
}

/**
 * `for (i = from; i < to; i += step)` over an i32 local, the bounds given as code that pushes
 * an i32 (evaluated at each test for `to`). The body runs at least zero times.
 */
export function forLoop(c: Code, i: number, from: (c: Code) => void, to: (c: Code) => void, step: number, body: (c: Code) => void): void {
  from(c);
  c.localSet(i);
  c.block((c) => {
    c.loop((c) => {
      c.localGet(i);
      to(c);
      c.op('i32.lt_s').op('i32.eqz').brIf(1);
      body(c);
      c.localGet(i).i32(step).op('i32.add').localSet(i).br(0);
    });
  });
}
