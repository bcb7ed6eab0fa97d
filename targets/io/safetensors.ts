// The safetensors format, read and written without dependencies: an 8-byte little-endian
// header length N, N bytes of JSON header ({name: {dtype, shape, data_offsets: [begin, end]}}
// plus an optional "__metadata__" map of strings), then the tensor bytes, little-endian, with
// offsets relative to the start of the data. Reads F64, F32, F16 and BF16 into float64;
// writes F32 (eqv's weight files) or F64.

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16';

export interface NamedTensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export interface SafetensorsFile {
  readonly tensors: Map<string, NamedTensor & { readonly dtype: SafetensorsDtype }>;
  readonly metadata: Readonly<Record<string, string>>;
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };
/** The header of a real file is small; a larger length means a corrupt or foreign file. */
const MAX_HEADER = 100 * 1024 * 1024;

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new SafetensorsError(`not a safetensors file: ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > bytes.length) {
    throw new SafetensorsError(`corrupt safetensors file: header length ${n} does not fit in a file of ${bytes.length} bytes`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new SafetensorsError(`corrupt safetensors file: the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError('corrupt safetensors file: the header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;

  const metadata = Object.create(null) as Record<string, string>;
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SafetensorsError('corrupt safetensors file: __metadata__ is not an object');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new SafetensorsError(`corrupt safetensors file: __metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof info !== 'object' || info === null) throw new SafetensorsError(`corrupt safetensors file: entry ${name} is not an object`);
    if (typeof info.dtype !== 'string') throw new SafetensorsError(`corrupt safetensors file: tensor ${name} has no dtype`);
    if (!(info.dtype in BYTES)) throw new SafetensorsError(`tensor ${name} has dtype ${info.dtype}; weights must be F64, F32, F16 or BF16`);
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new SafetensorsError(`corrupt safetensors file: tensor ${name} has an invalid shape ${JSON.stringify(shape)}`);
    }
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isInteger(d) && d >= 0) || offsets[1] < offsets[0]) {
      throw new SafetensorsError(`corrupt safetensors file: tensor ${name} has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const dtype = info.dtype as SafetensorsDtype;
    const [begin, end] = offsets as [number, number];
    if ((end - begin) !== numel(shape) * BYTES[dtype]) {
      throw new SafetensorsError(`corrupt safetensors file: tensor ${name} of shape [${shape.join(', ')}] and dtype ${dtype} needs ${numel(shape) * BYTES[dtype]} bytes, its offsets span ${end - begin}`);
    }
    if (end > dataLength) throw new SafetensorsError(`corrupt safetensors file: tensor ${name} ends at byte ${end} of a ${dataLength}-byte data section (truncated file?)`);
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // The format covers the data section exactly: no holes, no overlaps.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin);
  let expected = 0;
  for (const e of sorted) {
    if (e.begin !== expected) throw new SafetensorsError(`corrupt safetensors file: tensor ${e.name} starts at byte ${e.begin}, expected ${expected} (overlapping or missing data)`);
    expected = e.end;
  }
  if (expected !== dataLength) throw new SafetensorsError(`corrupt safetensors file: the tensors cover ${expected} bytes of a ${dataLength}-byte data section`);

  const tensors = new Map<string, NamedTensor & { dtype: SafetensorsDtype }>();
  for (const e of entries) {
    const count = numel(e.shape);
    const data = new Float64Array(count);
    const base = dataStart + e.begin;
    for (let i = 0; i < count; i++) {
      switch (e.dtype) {
        case 'F64':
          data[i] = view.getFloat64(base + 8 * i, true);
          break;
        case 'F32':
          data[i] = view.getFloat32(base + 4 * i, true);
          break;
        case 'F16':
          data[i] = halfToFloat(view.getUint16(base + 2 * i, true));
          break;
        case 'BF16': {
          const scratch = new DataView(new ArrayBuffer(4));
          scratch.setUint32(0, view.getUint16(base + 2 * i, true) << 16, true);
          data[i] = scratch.getFloat32(0, true);
          break;
        }
      }
    }
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data });
  }
  return { tensors, metadata };
}

/**
 * Write tensors in the layout the reference implementation writes: header JSON without spaces,
 * `__metadata__` first, tensors in name order with consecutive offsets, the header padded
 * with spaces to a multiple of 8 bytes.
 */
export function writeSafetensors(
  tensors: ReadonlyMap<string, NamedTensor> | Readonly<Record<string, NamedTensor>>,
  options: { readonly dtype?: 'F32' | 'F64'; readonly metadata?: Readonly<Record<string, string>> } = {},
): Uint8Array {
  const dtype = options.dtype ?? 'F32';
  const size = BYTES[dtype];
  const list = (tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors)) as [string, NamedTensor][];
  list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Without a prototype, a tensor named `__proto__` (a model input of that name, in the torch
  // runner's batch or a binary dataset) is a key like any other: on `{}` the assignment set the
  // prototype and the tensor vanished from the header.
  const header = Object.create(null) as Record<string, unknown>;
  if (options.metadata && Object.keys(options.metadata).length > 0) header.__metadata__ = options.metadata;
  let offset = 0;
  for (const [name, t] of list) {
    if (name === '__metadata__') throw new SafetensorsError('a tensor cannot be named __metadata__');
    if (numel(t.shape) !== t.data.length) throw new SafetensorsError(`tensor ${name}: shape [${t.shape.join(', ')}] has ${numel(t.shape)} elements, data has ${t.data.length}`);
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + t.data.length * size] };
    offset += t.data.length * size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const [, t] of list) {
    for (let i = 0; i < t.data.length; i++) {
      if (dtype === 'F32') view.setFloat32(pos, t.data[i]!, true);
      else view.setFloat64(pos, t.data[i]!, true);
      pos += size;
    }
  }
  return out;
}
