// The pictures: `eqvc graph`'s dataflow SVG shows every value with its type and dimension, the
// layer calls as boxes and the .eqv line of each value; the training curves show each series'
// values per epoch.

import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile } from '../../compiler/compile.js';
import { renderGraphSvg, typeText } from '../../services/graphSvg.js';
import { renderCurvesSvg } from '../../services/curvesSvg.js';
import { eqvc } from '../cli/harness.js';

const tetris = compile('examples/tetris.eqv').ir.find((m) => m.model === 'Tetris')!;

describe('eqvc graph', () => {
  const svg = renderGraphSvg(tetris);

  it('shows every value with its op, type and dimension, and the .eqv line on hover', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<g class="value"/g)!.length).toBe(tetris.nodes.length);
    for (const n of tetris.nodes) {
      expect(svg).toContain(`<tspan font-weight="bold">${n.id}</tspan> ${n.op} : <tspan fill="#1a5e20">${typeText(n.type).replace(/>/g, '&gt;')}</tspan>`);
      expect(svg).toContain(`<title>${n.source.file}:${n.source.line}:${n.source.col}  ${n.source.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</title>`);
    }
    expect(typeText(tetris.outputs[0]!.type)).toBe('graph[8x0e] (dim 8)');
    expect(svg).toContain('out y');
    expect(svg).toContain('in pos');
    expect(svg).toContain('edge[1x0e+1x1o+1x2e] (dim 9)');
  });

  it('draws each layer call as a box named after the call', () => {
    const calls = new Set(tetris.nodes.flatMap((n) => (n.source.via && n.source.via.length > 0 ? [n.source.via.join(' > ')] : [])));
    expect(calls.size).toBe(2);
    for (const c of calls) expect(svg).toContain(`<g class="layer"><title>${c}</title>`);
    expect(svg).toContain('Interaction (examples/tetris.eqv:20:12)');
  });

  it('writes the file from the command line', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eqv-graph-')), 'model.svg');
    const r = await eqvc('graph', 'examples/tetris.eqv', '--out', out);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(svg);
    expect((await eqvc('graph', 'examples/nope.eqv', '--out', out)).code).toBe(2);
  });
});

describe('training curves', () => {
  it('plots each series with every epoch value in a title', () => {
    const svg = renderCurvesSvg('M: training curves', [
      { name: 'train loss', values: [2, 1, 0.5] },
      { name: 'validation MAE', values: [0.3, NaN, 0.1] },
      { name: 'empty', values: [NaN, NaN] },
    ]);
    expect(svg).toContain('M: training curves');
    expect(svg).toContain('>train loss</text>');
    expect(svg).toContain('<title>epoch 3: train loss 0.500000</title>');
    expect(svg).toContain('<title>epoch 1: validation MAE 0.300000</title>');
    expect(svg).not.toContain('epoch 2: validation MAE');
    expect(svg).not.toContain('>empty<');
    expect(svg.match(/<g class="series"/g)!.length).toBe(2);
  });
});
