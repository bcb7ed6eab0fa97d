import { describe, expect, it } from 'vitest';
import { readSafetensors, SafetensorsError, writeSafetensors } from '../../../targets/io/safetensors.js';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** A file assembled byte by byte: header length, header, data. */
function fileOf(header: string, data: number[]): Uint8Array {
  const h = ascii(header);
  const len = [h.length & 0xff, (h.length >> 8) & 0xff, 0, 0, 0, 0, 0, 0];
  return Uint8Array.from([...len, ...h, ...data]);
}

describe('safetensors', () => {
  it('writes the reference layout byte for byte', () => {
    const bytes = writeSafetensors({ w: { shape: [2], data: Float64Array.of(1, -2) } });
    const header = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(header.length).toBe(54); // padded with two spaces to 56
    const expected = [56, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), 0x20, 0x20, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0];
    expect(Array.from(bytes)).toEqual(expected);
  });

  it('reads a hand-made file with F64, F16 and BF16 tensors and metadata', () => {
    const header = '{"__metadata__":{"format":"pt"},"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"h":{"dtype":"F16","shape":[2],"data_offsets":[8,12]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[12,14]}}';
    // 1.5 as F64; 1.0 and -2.5 as F16 (0x3c00, 0xc100); 3.0 as BF16 (0x4040).
    const data = [0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0x00, 0x3c, 0x00, 0xc1, 0x40, 0x40];
    const file = readSafetensors(fileOf(header, data));
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(Array.from(file.tensors.get('a')!.data)).toEqual([1.5]);
    expect(Array.from(file.tensors.get('h')!.data)).toEqual([1, -2.5]);
    expect(Array.from(file.tensors.get('b')!.data)).toEqual([3]);
    expect(file.tensors.get('h')!.dtype).toBe('F16');
  });

  it('round-trips F32 (to float32 precision) and F64 (exactly) with shapes and metadata', () => {
    const tensors = new Map([
      ['layer.weight', { shape: [2, 3], data: Float64Array.of(0.1, -0.2, 0.3, 4, 5e-8, -6e10) }],
      ['bias', { shape: [0], data: new Float64Array(0) }],
      ['scalar', { shape: [], data: Float64Array.of(7) }],
    ]);
    const f32 = readSafetensors(writeSafetensors(tensors, { metadata: { eqv: 'test' } }));
    expect(f32.metadata).toEqual({ eqv: 'test' });
    expect(f32.tensors.get('layer.weight')!.shape).toEqual([2, 3]);
    expect(Array.from(f32.tensors.get('layer.weight')!.data)).toEqual(Array.from(tensors.get('layer.weight')!.data, Math.fround));
    expect(f32.tensors.get('scalar')!.shape).toEqual([]);
    expect(f32.tensors.get('bias')!.data.length).toBe(0);
    const f64 = readSafetensors(writeSafetensors(tensors, { dtype: 'F64' }));
    expect(Array.from(f64.tensors.get('layer.weight')!.data)).toEqual(Array.from(tensors.get('layer.weight')!.data));
  });

  it('rejects corrupt files with a clear message', () => {
    const good = writeSafetensors({ w: { shape: [2], data: Float64Array.of(1, 2) } });
    expect(() => readSafetensors(good.subarray(0, 5))).toThrow(/shorter than the 8-byte header length/);
    expect(() => readSafetensors(good.subarray(0, good.length - 1))).toThrow(/ends at byte 8 of a 7-byte data section/);
    const huge = Uint8Array.from(good);
    huge[3] = 1;
    expect(() => readSafetensors(huge)).toThrow(/header length \d+ does not fit/);
    expect(() => readSafetensors(fileOf('{"w": [1, 2', []))).toThrow(/not valid UTF-8 JSON/);
    expect(() => readSafetensors(fileOf('{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', [0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/dtype I64/);
    expect(() => readSafetensors(fileOf('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', [0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/needs 12 bytes/);
    expect(() => readSafetensors(fileOf('{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', [0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/starts at byte 4, expected 0/);
    expect(() => readSafetensors(fileOf('[]', []))).toThrow(SafetensorsError);
  });
});

describe('safetensors tensor names that are Object.prototype keys', () => {
  it('a tensor named __proto__ is written and read back (it vanished from the header)', () => {
    const bytes = writeSafetensors(new Map([['__proto__', { shape: [2], data: Float64Array.of(1, 2) }], ['constructor', { shape: [1], data: Float64Array.of(3) }]]), { dtype: 'F64' });
    const back = readSafetensors(bytes).tensors;
    expect([...back.keys()].sort()).toEqual(['__proto__', 'constructor']);
    expect(Array.from(back.get('__proto__')!.data)).toEqual([1, 2]);
    expect(Array.from(back.get('constructor')!.data)).toEqual([3]);
  });
});
