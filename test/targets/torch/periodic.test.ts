// Periodic cells and given graphs on the torch target: the module's own periodic radius graph
// (targets/torch/prelude.ts, _periodic_radius_graph) finds the edges the host search finds, in
// the same (dst, src, shift) order, so examples/periodic.eqv agrees with the reference (energy,
// forces and stress) in float64 (1e-10) and float32 (1e-5), scripted too; a model with a given graph
// (`in g: graph`, src/dst/shifts as module inputs) agrees the same way, with and without a cell,
// and with a node that receives no message (norm of a zero vector: gradient 0, not nan).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PYTHON_PRELUDE } from '../../../targets/torch/prelude.js';
import { compile, compileSource } from '../../../compiler/compile.js';
import { parseRunInput } from '../../../targets/io/inputs.js';
import { neighbourSearch } from '../../../targets/io/neighbours.js';
import { initialParams } from '../../../targets/io/params.js';
import { evaluate } from '../../../targets/ref/evaluate.js';
import { runTorchJobs, type TorchJob, type TorchJobResult } from '../../../targets/torch/runner.js';
import { exampleBatch, randomBatch, relativeError } from '../tfjs/helpers.js';
import { torchPython, torchSuiteTitle } from './helpers.js';
import { eqvc } from '../../cli/harness.js';

const BODY = (cell: boolean) => `model M : E(3) {
  in pos: node[pos]
  ${cell ? 'in cell: graph[cell]' : ''}
  in x: node[2x0e]
  in g: graph
  out y: graph[1x0e]
  out f: node[1x1o]
  let sh = spherical_harmonics(g.vec, lmax = 1, normalization = component)
  let m = tp(gather(linear(x, 4x0e), g), sh, out = 2x0e + 2x1o, weights = mlp(bessel(g.len, n = 4, cutoff = 2.5), hidden = [8], out = 16))
  let e = pool(linear(norm(scatter(m, g)), 1x0e))
  y = e
  f = -grad(e, pos)
}
`;

const POS = [[0, 0, 0], [1.1, 0.9, 1.2], [0.3, 1.7, 0.4]];
const POS2 = [[0.2, 0.1, 0.3], [1.4, 0.2, 1.0]];
const CELL = [[2.4, 0, 0], [0.2, 2.2, 0], [0, 0.3, 2.6]];
const CELL2 = [[2.1, 0.1, 0], [0, 2.3, 0], [0.1, 0, 1.9]];
const X = [[1, 0], [0, 1], [0.5, -0.3]];
const X2 = [[0.2, 1], [-1, 0.4]];

/** The periodic radius graph of one graph as a given-graph JSON value (local indices). */
function edgesOf(pos: number[][], cell: number[][], withShifts: boolean) {
  const found = neighbourSearch(Float64Array.from(pos.flat()), Int32Array.from([0, pos.length]), 2.5, 3, Float64Array.from(cell.flat()));
  const src = Array.from(found.src).reverse();
  const dst = Array.from(found.dst).reverse();
  const shifts = Array.from(found.src, (_, e) => Array.from(found.shifts!.subarray(3 * e, 3 * e + 3))).reverse();
  return withShifts ? { src, dst, shifts } : { src, dst };
}

function batchOf(module: ReturnType<typeof compileSource>['ir'][number], json: unknown) {
  const r = parseRunInput(json, module);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.batch;
}

// Energy, forces and the stress (the strain derivative by autograd inside forward).
const periodic = compile('examples/periodic.eqv').ir[0]!;
const givenCell = compileSource(BODY(true), 'given_cell.eqv').ir[0]!;
const givenOpen = compileSource(BODY(false), 'given_open.eqv').ir[0]!;
const jobs: (TorchJob & { what: string })[] = [
  { module: periodic, params: initialParams(periodic, 5), batch: exampleBatch('examples/periodic.eqv', periodic), what: 'examples/periodic.eqv, its example input' },
  { module: periodic, params: initialParams(periodic, 5), batch: randomBatch(periodic, [6, 1, 4], 3), what: 'examples/periodic.eqv, 3 random skewed cells' },
  {
    module: givenCell,
    params: initialParams(givenCell, 4),
    batch: batchOf(givenCell, {
      graphs: [
        { pos: POS, cell: CELL, x: X, g: edgesOf(POS, CELL, true) },
        { pos: POS2, cell: CELL2, x: X2, g: edgesOf(POS2, CELL2, true) },
      ],
    }),
    what: 'a given graph with lattice shifts, 2 graphs',
  },
  {
    // Node 0's two edges are longer than the cutoff: it receives zero messages, so `norm` meets a
    // zero vector, whose gradient (forces) is 0 as in the reference, not nan.
    module: givenCell,
    params: initialParams(givenCell, 6),
    batch: batchOf(givenCell, { pos: POS, cell: CELL, x: X, g: { src: [0, 1, 2, 0], dst: [1, 0, 0, 2], shifts: [[0, 0, 0], [1, 0, 0], [0, 0, -1], [0, 1, 0]] } }),
    what: 'a given graph with edges beyond the cutoff (a node without messages)',
  },
  {
    module: givenOpen,
    params: initialParams(givenOpen, 4),
    batch: batchOf(givenOpen, { graphs: [{ pos: POS, x: X, g: { src: [0, 1, 2, 0], dst: [1, 0, 0, 2] } }, { pos: POS2, x: X2, g: { src: [1], dst: [0] } }] }),
    what: 'a given graph without a cell (bonds), 2 graphs',
  },
];
const expected = jobs.map((j) => evaluate(j.module, j.batch, j.params));

describe.skipIf(!torchPython.ok)(torchSuiteTitle('torch: periodic cells and given graphs'), () => {
  let f64: TorchJobResult[];
  let f32: TorchJobResult[];
  beforeAll(async () => {
    [f64, f32] = await Promise.all([runTorchJobs(jobs, { dtype: 'float64', script: true }), runTorchJobs(jobs, { dtype: 'float32' })]);
  }, 300_000);

  it('the periodic batches have edges through the faces (several images of the same pair)', () => {
    const b = jobs[1]!.batch;
    const found = neighbourSearch(b.values.get('pos')!, b.graphPtr, 3.0, 3, b.values.get('cell')!);
    const pairs = new Set(Array.from(found.src, (s, e) => `${s}-${found.dst[e]}`));
    expect(found.src.length).toBeGreaterThan(pairs.size);
  });

  it("the module's periodic search gives the host's edges in the same (dst, src, shift) order, scripted, for cells smaller than 2r", () => {
    // Three graphs: a skewed cell about r wide (several images of every pair), one larger than
    // 2r, and a one-atom cell (only its own images), positions partly outside their cells.
    const rng = (() => {
      let x = 12345;
      return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    })();
    const r = 2.0;
    const cells = [
      [[2.1, 0, 0], [0.4, 1.9, 0], [-0.3, 0.2, 2.3]],
      [[4.6, 0.1, 0], [0, 4.2, 0.3], [0.2, 0, 4.4]],
      [[1.5, 0, 0], [0.3, 1.6, 0], [0, 0.1, 1.7]],
    ];
    const sizes = [5, 7, 1];
    const pos = sizes.flatMap((n, g) => Array.from({ length: n }, () => [0, 1, 2].map((c) => (rng() * 1.6 - 0.3) * cells[g]![c]![c]!)));
    const ptr = [0, 5, 12, 13];
    const want = neighbourSearch(Float64Array.from(pos.flat()), Int32Array.from(ptr), r, 3, Float64Array.from(cells.flat(2)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-pbc-'));
    const script = path.join(dir, 'search.py');
    fs.writeFileSync(
      script,
      `${PYTHON_PRELUDE}\nimport json\nsearch = torch.jit.script(_periodic_radius_graph)\n` +
        `s, d, S = search(torch.tensor(${JSON.stringify(pos)}, dtype=torch.float64), torch.tensor(${JSON.stringify(cells)}, dtype=torch.float64), torch.tensor(${JSON.stringify(ptr)}), ${r})\n` +
        'print(json.dumps({"src": s.tolist(), "dst": d.tolist(), "shifts": S.reshape(-1).tolist()}))\n',
    );
    const got = JSON.parse(execFileSync((torchPython as { python: string }).python, [script], { encoding: 'utf8' })) as { src: number[]; dst: number[]; shifts: number[] };
    fs.rmSync(dir, { recursive: true, force: true });
    // Several images of the same pair, and the one-atom cell's own images.
    expect(want.src.length).toBeGreaterThan(new Set(Array.from(want.src, (x, e) => `${x}-${want.dst[e]}`)).size);
    expect(Array.from(want.dst).filter((d) => d === 12).length).toBeGreaterThan(0);
    expect(got.dst).toEqual(Array.from(want.dst));
    expect(got.src).toEqual(Array.from(want.src));
    expect(got.shifts).toEqual(Array.from(want.shifts!));
  });

  it('the stress is among the outputs checked below, and it is not zero', () => {
    expect(periodic.outputs.map((o) => o.name)).toEqual(['energy', 'forces', 'sigma']);
    expect(Math.max(...Array.from(expected[0]!.get('sigma')!, Math.abs))).toBeGreaterThan(1e-3);
  });

  it('eqvc run --target torch prints the stress and its 3x3 matrix as the reference does', async () => {
    const args = ['examples/periodic.eqv', '--input', 'examples/periodic.input.json'];
    const [ref, torch] = await Promise.all([eqvc('run', ...args), eqvc('run', ...args, '--target', 'torch', '--dtype', 'float64')]);
    expect(torch.code, torch.err).toBe(0);
    type Out = { graphs: Record<string, number[] | number[][]>[] };
    const want = (JSON.parse(ref.out) as Out).graphs;
    const got = (JSON.parse(torch.out) as Out).graphs;
    expect(got.map((g) => Object.keys(g))).toEqual(want.map(() => ['energy', 'forces', 'sigma', 'sigma.3x3']));
    got.forEach((g, i) => {
      for (const key of ['sigma', 'sigma.3x3']) {
        const w = (want[i]![key] as number[] | number[][]).flat();
        expect(relativeError((g[key] as number[] | number[][]).flat(), w, Math.max(...w.map(Math.abs))), key).toBeLessThan(1e-10);
      }
    });
  }, 120_000);

  jobs.forEach((job, i) => {
    it(`${job.what}: float64 within 1e-10 (scripted too), float32 within 1e-5`, () => {
      for (const out of job.module.outputs) {
        const want = expected[i]!.get(out.name)!;
        const scale = Math.max(...Array.from(want, Math.abs));
        expect(scale, out.name).toBeGreaterThan(0);
        for (const [got, tol, what] of [
          [f64[i]!.outputs.get(out.name)!, 1e-10, 'float64'],
          [f64[i]!.scripted!.get(out.name)!, 1e-10, 'scripted float64'],
          [f32[i]!.outputs.get(out.name)!, 1e-5, 'float32'],
        ] as const) {
          expect(got.length, `${out.name} ${what}`).toBe(want.length);
          expect(relativeError(got, want, scale), `${out.name} ${what}`).toBeLessThan(tol);
        }
      }
    });
  });
});
