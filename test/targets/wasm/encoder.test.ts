// The WebAssembly encoder: LEB128 against the spec's examples, a module's exact bytes, and
// generated SIMD code that V8 validates and runs.

import { describe, expect, it } from 'vitest';
import { Code, forLoop } from '../../../targets/wasm/encoder/code.js';
import { sleb, uleb } from '../../../targets/wasm/encoder/leb.js';
import { encodeModule } from '../../../targets/wasm/encoder/module.js';

describe('LEB128', () => {
  it('encodes unsigned and signed integers as the spec does', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(() => uleb(-1)).toThrow(/not a u32/);
  });
});

describe('encodeModule', () => {
  it('writes the exact bytes of a one-function module, deterministically', () => {
    const body = new Code().localGet(0).localGet(1).op('i32.add').end();
    const fn = { name: 'add', params: ['i32', 'i32'] as const, results: ['i32'] as const, locals: [], body };
    const bytes = encodeModule({ initial: 1 }, [fn]);
    expect([...bytes]).toEqual([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      1, 7, 1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f,
      2, 15, 1, 3, 0x65, 0x6e, 0x76, 6, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 1,
      3, 2, 1, 0,
      7, 7, 1, 3, 0x61, 0x64, 0x64, 0x00, 0,
      10, 9, 1, 7, 0, 0x20, 0, 0x20, 1, 0x6a, 0x0b,
    ]);
    expect(encodeModule({ initial: 1 }, [fn])).toEqual(bytes);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it('runs a generated SIMD loop (y = 2x + 1 over 4 lanes) on a shared memory', async () => {
    const c = new Code();
    // params: n (floats, multiple of 4); local 1: byte index
    forLoop(c, 1, (c) => c.i32(0), (c) => c.localGet(0).i32(2).op('i32.shl'), 16, (c) => {
      c.localGet(1);
      c.localGet(1).v128Load(0).f32x4Const(2).simd('f32x4.mul').f32x4Const(1).simd('f32x4.add');
      c.v128Store(4096);
    });
    const bytes = encodeModule({ initial: 1, maximum: 2, shared: true }, [{ name: 'k', params: ['i32'], results: [], locals: ['i32'], body: c.end() }]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
    const f = new Float32Array(memory.buffer);
    f.set([1, 2, 3, 4, 5, 6, 7, 8.5]);
    (instance.exports.k as (n: number) => void)(8);
    expect([...f.subarray(1024, 1032)]).toEqual([3, 5, 7, 9, 11, 13, 15, 18]);
  });
});
