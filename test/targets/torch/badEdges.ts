// Datasets with one bad given graph (`in bonds: graph`), in the JSON and the binary form, for
// train.py's tests: each is written to a folder with the train.py arguments that load it and
// the error train.py must exit with, which is eqvc train's own reader's (targets/tfjs/train.ts,
// targets/io/edges.ts) on the same file: `invalid dataset FILE: MESSAGE`. Computing the
// expectation from the TypeScript reader keeps the two readers' checks and words together.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IRModule } from '../../../ir/types.js';
import { type NamedTensor, readSafetensors, writeSafetensors } from '../../../targets/io/safetensors.js';
import { DatasetError, parseDatasetBinary, parseDatasetJson, writeDatasetBinary } from '../../../targets/tfjs/train.js';

type Json = { graphs: Record<string, unknown>[] };
// Loosely typed: the cases write what a bad writer might (a number for an array, an object for a list).
type Bonds = { src: unknown[]; dst: unknown[]; shifts?: unknown[]; [k: string]: unknown };
type Loose = Record<string, unknown>;
type Tensors = Map<string, NamedTensor>;

export interface BadDataset {
  /** train.py's arguments (the file is relative to the folder train.py runs in). */
  readonly args: string[];
  /** What train.py exits with: eqvc's reader's message on the same file. */
  readonly expected: string;
}

/** The message eqvc's reader refuses `parse()` with; a dataset it accepts is a broken test case. */
function refusal(file: string, parse: () => unknown): string {
  try {
    parse();
  } catch (e) {
    if (e instanceof DatasetError) return `invalid dataset ${file}: ${e.message}`;
    throw e;
  }
  throw new Error(`${file}: eqvc's dataset reader accepts it, so it is no bad dataset`);
}

/** A copy of tensor `name` with its data changed by `edit` (and its shape by `shape`). */
function edited(t: Tensors, name: string, edit: (d: Float64Array) => Float64Array | void): void {
  const old = t.get(name)!;
  const data = Float64Array.from(old.data);
  const out = edit(data) ?? data;
  const shape = out.length === data.length ? old.shape : old.shape.length === 2 ? [out.length / old.shape[1]!, old.shape[1]!] : [out.length];
  t.set(name, { ...old, shape, data: out });
}

/**
 * Every bad dataset of one kind of model, from a valid JSON dataset: graph 1 broken in one way
 * each. With a cell (`cellDim`), the shift cases; without one, shifts given anyway.
 */
export function badEdgeDatasets(dir: string, module: IRModule, dataFile: string, cellDim: number | undefined): Record<string, BadDataset> {
  const read = () => JSON.parse(fs.readFileSync(dataFile, 'utf8')) as Json;
  const out: Record<string, BadDataset> = {};
  const json = (name: string, edit: (bonds: Bonds, g: Record<string, unknown>) => void) => {
    const set = read();
    edit(set.graphs[1]!.bonds as Bonds, set.graphs[1]!);
    const file = `${name}.json`;
    fs.writeFileSync(path.join(dir, file), JSON.stringify(set));
    out[name] = { args: ['--data', file, '--epochs', '1', '--out', 'bad.safetensors'], expected: refusal(file, () => parseDatasetJson(set, module, 'mse')) };
  };
  const binaryBase = readSafetensors(writeDatasetBinary(parseDatasetJson(read(), module, 'mse'))).tensors;
  if (!cellDim) {
    // eqvc's writer has no shifts for a model without a cell: add them as a writer might.
    const edges = binaryBase.get('bonds.src')!.data.length;
    binaryBase.set('bonds.shifts', { dtype: 'F64', shape: [edges, 3], data: new Float64Array(edges * 3) });
  }
  // Graph 1's first edge in the binary dataset's arrays.
  const first = binaryBase.get('bonds.edge_ptr')!.data[1]!;
  const binary = (name: string, edit: (t: Tensors) => void) => {
    const t: Tensors = new Map(binaryBase);
    edit(t);
    const file = `${name}.safetensors`;
    const bytes = writeSafetensors(t, { dtype: 'F64', metadata: { format: 'eqv-dataset' } });
    fs.writeFileSync(path.join(dir, file), bytes);
    out[name] = { args: ['--data', file, '--epochs', '1', '--out', 'bad.safetensors'], expected: refusal(file, () => parseDatasetBinary(bytes, module, 'mse')) };
  };

  if (!cellDim) {
    json('json_shifts_without_cell', (b) => (b.shifts = b.src.map(() => [0, 0, 0])));
    binary('bin_shifts_without_cell', () => undefined);
    return out;
  }
  // Keys the readers do not know (a misspelt "forces" trained without forces) and targets that are no object.
  json('json_unknown_key', (_b, g) => (g.forcse = g.forces ?? [[0, 0, 0]]));
  json('json_targets_array', (_b, g) => (g.targets = [1, 2]));
  {
    const set = read() as Json & Loose;
    set.note = 'made by hand';
    fs.writeFileSync(path.join(dir, 'json_key_beside_graphs.json'), JSON.stringify(set));
    out.json_key_beside_graphs = { args: ['--data', 'json_key_beside_graphs.json', '--epochs', '1', '--out', 'bad.safetensors'], expected: refusal('json_key_beside_graphs.json', () => parseDatasetJson(set, module, 'mse')) };
  }
  json('json_not_object', (_b, g) => (g.bonds = [0, 1]));
  json('json_missing', (_b, g) => delete g.bonds);
  json('json_extra_field', (b) => (b.weight = [1]));
  json('json_src_not_array', (b) => ((b as Loose).src = 3));
  json('json_src_out_of_range', (b) => (b.src[3] = 5));
  json('json_dst_negative', (b) => (b.dst[0] = -1));
  json('json_src_fraction', (b) => (b.src[1] = 1.5));
  json('json_dst_string', (b) => (b.dst[2] = '2'));
  json('json_dst_null', (b) => (b.dst[2] = null));
  json('json_lengths', (b) => b.dst.pop());
  json('json_no_shifts', (b) => delete b.shifts);
  json('json_shifts_not_array', (b) => ((b as Loose).shifts = {}));
  json('json_shifts_count', (b) => b.shifts!.pop());
  json('json_shift_width', (b) => (b.shifts![0] = [0, 1]));
  json('json_shift_fraction', (b) => (b.shifts![2] = [0, 0.5, 0]));
  json('json_shift_string', (b) => (b.shifts![2] = [0, '1', 0]));
  // Past the 32-bit storage of shifts (2^70 also past Python's int64 tensors, which crashed train.py).
  json('json_shift_huge', (b) => (b.shifts![2] = [0, 2 ** 70, 0]));

  binary('bin_no_edge_ptr', (t) => t.delete('bonds.edge_ptr'));
  binary('bin_no_shifts', (t) => t.delete('bonds.shifts'));
  binary('bin_lengths', (t) => edited(t, 'bonds.dst', (d) => d.subarray(0, d.length - 1)));
  binary('bin_edge_ptr_count', (t) => edited(t, 'bonds.edge_ptr', (d) => d.subarray(0, d.length - 1)));
  binary('bin_edge_ptr_start', (t) => edited(t, 'bonds.edge_ptr', (d) => void (d[0] = 1)));
  binary('bin_edge_ptr_decreasing', (t) => edited(t, 'bonds.edge_ptr', (d) => void (d[1] = d[2]! + 1)));
  binary('bin_edge_ptr_fraction', (t) => edited(t, 'bonds.edge_ptr', (d) => void (d[1] = d[1]! + 0.5)));
  binary('bin_edge_ptr_end', (t) => edited(t, 'bonds.edge_ptr', (d) => void (d[d.length - 1] = d[d.length - 1]! - 1)));
  binary('bin_src_out_of_range', (t) => edited(t, 'bonds.src', (d) => void (d[first + 3] = 40)));
  binary('bin_dst_negative', (t) => edited(t, 'bonds.dst', (d) => void (d[first] = -1)));
  binary('bin_src_fraction', (t) => edited(t, 'bonds.src', (d) => void (d[first + 1] = 1.5)));
  binary('bin_dst_nan', (t) => edited(t, 'bonds.dst', (d) => void (d[first + 2] = NaN)));
  binary('bin_shifts_count', (t) => edited(t, 'bonds.shifts', (d) => d.subarray(0, d.length - 3)));
  binary('bin_shift_fraction', (t) => edited(t, 'bonds.shifts', (d) => void (d[3 * (first + 2) + 1] = 0.5)));
  binary('bin_shift_nan', (t) => edited(t, 'bonds.shifts', (d) => void (d[3 * (first + 4)] = NaN)));
  // graph_ptr, which train.py sliced by without checking (a fraction truncated, a decrease gave a negative node count).
  binary('bin_graph_ptr_fraction', (t) => edited(t, 'graph_ptr', (d) => void (d[1] = d[1]! + 0.5)));
  binary('bin_graph_ptr_decreasing', (t) => edited(t, 'graph_ptr', (d) => void (d[2] = d[1]! - 1)));
  binary('bin_graph_ptr_end', (t) => edited(t, 'graph_ptr', (d) => void (d[d.length - 1] = d[d.length - 1]! + 2)));
  binary('bin_shift_huge', (t) => edited(t, 'bonds.shifts', (d) => void (d[3 * (first + 3)] = -3e9)));
  binary('bin_shift_infinite', (t) => edited(t, 'bonds.shifts', (d) => void (d[3 * (first + 1) + 2] = -Infinity)));
  return out;
}
