// Flows' seq inputs in the run-input JSON: one row per frame of each sequence, checked against
// the frames of the sequence's grid2d inputs (T·N² rows), with errors that name both.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import type { IRModule } from '../../../ir/types.js';
import { parseRunInput } from '../../../targets/io/inputs.js';

function model(source: string): IRModule {
  const out = compileSource(source, 'seq.eqv');
  expect(out.diagnostics).toEqual([]);
  return out.ir[0]!;
}

const withGrid = model(`model M : Flow(T2, size = 2) {
  in frames: grid2d[1]
  in ctrl: seq[2]
  out y: seq[3]
  y = concat(pool_space(frames), ctrl)
}
`);

const seqOnly = model(`model S : Flow(T2, size = 2) {
  in ctrl: seq[2]
  out y: graph[2]
  y = pool_time(ctrl, reduce = last)
}
`);

const cells = (frames: number) => Array.from({ length: frames * 4 }, (_, i) => [i]);

describe('seq run inputs', () => {
  it('batch one row per frame; the nodes are the cells of the frames', () => {
    const r = parseRunInput({ graphs: [{ frames: cells(2), ctrl: [[1, 2], [3, 4]] }, { frames: cells(1), ctrl: [[5, 6]] }] }, withGrid);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(Array.from(r.batch.graphPtr)).toEqual([0, 8, 12]);
    expect(Array.from(r.batch.values.get('ctrl')!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.batch.values.get('frames')!.length).toBe(12);
  });

  it('take the frame count from seq inputs alone', () => {
    const r = parseRunInput({ ctrl: [[1, 2], [3, 4], [5, 6]] }, seqOnly);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.batch.numNodes).toBe(12);
    expect(Array.from(r.batch.values.get('ctrl')!)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuse a frame count that differs from the grid2d input, either way round', () => {
    const a = parseRunInput({ frames: cells(2), ctrl: [[1, 2]] }, withGrid);
    expect(a.ok ? [] : a.errors).toEqual(['input ctrl has 1 frames but frames has 2 frames: a seq input needs one row per frame (a frame is 4 grid2d rows)']);
    const b = parseRunInput({ frames: Array.from({ length: 6 }, () => [0]), ctrl: [[1, 2]] }, withGrid);
    expect(b.ok ? [] : b.errors).toEqual(['input ctrl has 1 frames but frames has 6 rows, not a whole number of frames: a seq input needs one row per frame (a frame is 4 grid2d rows)']);
    const reversed = { ...withGrid, inputs: [...withGrid.inputs].reverse() };
    const c = parseRunInput({ frames: cells(3), ctrl: [[1, 2], [3, 4]] }, reversed);
    expect(c.ok ? [] : c.errors).toEqual(['input frames has 12 rows but ctrl has 2 frames: a grid2d input needs 4 rows per frame']);
  });

  it('refuse rows of the wrong width and a non-array, naming the input', () => {
    const a = parseRunInput({ frames: cells(1), ctrl: [[1, 2, 3]] }, withGrid);
    expect(a.ok ? [] : a.errors).toEqual(['input ctrl: row 0 has 3 numbers, expected 2']);
    const b = parseRunInput({ frames: cells(1), ctrl: 7 }, withGrid);
    expect(b.ok ? [] : b.errors).toEqual(['input ctrl is per frame: give an array of rows, got 7']);
  });
});
