// The playground page: an editor for .eqv checked as you type (the language server's checker
// and hover facts from services/query.ts), the examples, the dataflow picture (`eqvc graph`),
// the `explain` table, a run on WebGPU (or the reference evaluator where WebGPU is missing),
// the equivariance suite with its mutants, and the tetris training demo on tfjs.

import { compileText, ENTRY, type PageCompile } from './compiler.js';
import { createEditor } from './editor.js';
import { escapeHtml } from './highlight.js';
import { EXAMPLES } from './generated/examples.js';
import { wgslRefusal } from '../../targets/wgsl/refuses.js';
import { probeWebGpu, referenceRunner, webGpuRunner } from './devices.js';
import { runSuite } from './suite.js';
import { renderGraphSvg } from '../../services/graphSvg.js';
import { renderCurvesSvg } from '../../services/curvesSvg.js';
import { explainModel, type Explanation } from '../../services/explain.js';
import { symbolAt, type SymbolInfo } from '../../services/query.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { IRModule } from '../../ir/types.js';
import { parseRunInput, type RuntimeBatch } from '../../targets/io/inputs.js';
import { initialParams } from '../../targets/io/params.js';
import { sampleBatch } from '../../targets/suite/sampleInputs.js';
import { createRng } from '../../stdlib/math/random.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let current: PageCompile | undefined;
let uploaded: unknown;

// ---- diagnostics and hover

function diagnosticHtml(d: Diagnostic): string {
  const lines = [d.label, ...d.notes.map((n) => `note: ${n}`), ...(d.help ? [`help: ${d.help}`] : [])].filter((l): l is string => !!l);
  const where = `${d.span.file}:${d.span.start.line}:${d.span.start.col}`;
  return `<li class="diag ${d.severity}" data-line="${d.span.start.line}" data-col="${d.span.start.col}" data-code="${d.code}"><span class="where">${escapeHtml(where)}</span> <b>${d.severity} ${d.code}</b>: ${escapeHtml(d.message)}${lines.map((l) => `<div class="more">${escapeHtml(l)}</div>`).join('')}</li>`;
}

function hoverHtml(info: SymbolInfo): string {
  const parts: string[] = [];
  if (info.signature) parts.push(`<pre>${escapeHtml(info.signature)}</pre>`);
  for (const t of info.types) {
    parts.push(`<div><b>type</b> <code>${escapeHtml(t.type)}</code>${t.dim !== undefined ? ` · <b>dimension</b> ${t.dim}` : ''}${t.context ? ` — ${escapeHtml(t.context)}` : ''}</div><div class="more">from: ${escapeHtml(t.origin)}</div>${t.atoms.map((a) => `<div class="more">· ${escapeHtml(a)}</div>`).join('')}`);
  }
  if (info.doc) parts.push(`<div class="doc">${escapeHtml(info.doc)}</div>`);
  if (parts.length === 0) parts.push(`<code>${escapeHtml(info.name)}</code> (${info.kind})`);
  return parts.join('<hr>');
}

// ---- panels that follow the program

function explainHtml(e: Explanation): string {
  const domains = ['node', 'edge', 'pair', 'grid2d', 'seq', 'graph'].filter((d) => e.rows.some((r) => r.flops[d]));
  const head = ['value', 'type', 'dim', 'params', ...domains.map((d) => `FLOPs/${d}`)];
  const cell = (v: number | undefined) => (v ? v.toLocaleString('en-US') : '-');
  const rows = e.rows.map((r) => `<tr><td>${escapeHtml(r.name)}</td><td><code>${escapeHtml(r.type)}</code></td><td class="num">${r.dim}</td><td class="num">${cell(r.params)}</td>${domains.map((d) => `<td class="num">${cell(r.flops[d])}</td>`).join('')}</tr>`);
  const total = `<tr class="total"><td>total</td><td></td><td></td><td class="num">${cell(e.totalParams)}</td>${domains.map((d) => `<td class="num">${cell(e.totalFlops[d])}</td>`).join('')}</tr>`;
  return `<div class="caption">model ${escapeHtml(e.model)} : ${escapeHtml(e.group)}</div><table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}${total}</tbody></table>`;
}

function selectedModule(): IRModule | undefined {
  if (!current || current.modules.length === 0) return undefined;
  const name = $<HTMLSelectElement>('model').value;
  return current.modules.find((m) => m.model === name) ?? current.modules[0];
}

function showModel(): void {
  const module = selectedModule();
  if (!current || !module) return;
  $('picture').innerHTML = renderGraphSvg(module);
  const checked = current.checked.models.find((m) => m.name === module.model)!;
  $('explain').innerHTML = explainHtml(explainModel(checked, current.checked.source));
}

function check(text: string): void {
  let out: PageCompile;
  try {
    out = compileText(text);
  } catch (e) {
    // A compiler bug on half-written code: say so, keep the last good panels.
    $('diagnostics').innerHTML = `<li class="diag error">the compiler failed on this text: ${escapeHtml((e as Error).message)}</li>`;
    return;
  }
  current = out;
  const own = out.checked.diagnostics.filter((d) => d.span.file === ENTRY);
  editor.setMarks(own.map((d) => ({ start: d.span.start.offset, end: d.span.end.offset, severity: d.severity })));
  const list = $('diagnostics');
  list.innerHTML = out.checked.diagnostics.map(diagnosticHtml).join('');
  $('check-status').textContent = out.checked.ok ? `ok: ${out.modules.map((m) => `${m.model} : ${m.group.name}`).join(', ')}` : `${out.checked.diagnostics.filter((d) => d.severity === 'error').length} error(s)`;
  $('check-status').className = out.checked.ok ? 'ok' : 'bad';
  const select = $<HTMLSelectElement>('model');
  const before = select.value;
  select.innerHTML = out.modules.map((m) => `<option>${escapeHtml(m.model)}</option>`).join('');
  if (out.modules.some((m) => m.model === before)) select.value = before;
  document.body.dataset.checked = out.checked.ok ? 'ok' : 'errors';
  if (out.checked.ok) showModel();
}

let timer: ReturnType<typeof setTimeout> | undefined;
const editor = createEditor($('editor'), (text) => {
  clearTimeout(timer);
  document.body.dataset.checked = 'pending';
  timer = setTimeout(() => check(text), 200);
});

const tooltip = $('hover');
editor.textarea.addEventListener('mousemove', (e) => {
  const offset = editor.offsetAt(e.clientX, e.clientY);
  const info = current && offset !== undefined ? symbolAt(current.checked, offset) : undefined;
  if (!info) {
    tooltip.hidden = true;
    return;
  }
  tooltip.innerHTML = hoverHtml(info);
  tooltip.hidden = false;
  tooltip.style.left = `${e.clientX + 12}px`;
  tooltip.style.top = `${e.clientY + 16}px`;
});
editor.textarea.addEventListener('mouseleave', () => (tooltip.hidden = true));
// The same facts at the caret, for the keyboard.
const showCaret = () => {
  const info = current ? symbolAt(current.checked, editor.textarea.selectionStart) : undefined;
  $('caret').innerHTML = info ? hoverHtml(info) : '';
};
editor.textarea.addEventListener('keyup', showCaret);
editor.textarea.addEventListener('click', showCaret);

// ---- examples

const examples = $<HTMLSelectElement>('example');
examples.innerHTML = EXAMPLES.map((e, i) => `<option value="${i}">${escapeHtml(e.name)}</option>`).join('');
examples.addEventListener('change', () => loadExample(Number(examples.value)));
function loadExample(i: number): void {
  uploaded = undefined;
  $('input-name').textContent = EXAMPLES[i]!.input ? `${EXAMPLES[i]!.name.replace('.eqv', '.input.json')} (the example's input)` : 'random';
  editor.setText(EXAMPLES[i]!.source);
}
$('model').addEventListener('change', showModel);

// ---- running

function batchFor(module: IRModule): RuntimeBatch {
  const source = $<HTMLSelectElement>('input-kind').value;
  const example = EXAMPLES[Number(examples.value)];
  const json = source === 'upload' ? uploaded : source === 'example' ? example?.input : undefined;
  if (json === undefined) {
    if (source !== 'random') throw new Error(source === 'upload' ? 'choose a JSON input file first' : 'this example has no input file: choose random inputs');
    return sampleBatch(module, createRng(Number($<HTMLInputElement>('seed').value) || 0));
  }
  const parsed = parseRunInput(json, module);
  if (!parsed.ok) throw new Error(`the inputs do not fit ${module.model}:\n${parsed.errors.join('\n')}`);
  return parsed.batch;
}

function outputsHtml(module: IRModule, outputs: Map<string, Float64Array>): string {
  return module.outputs
    .map((o) => {
      const v = outputs.get(o.name)!;
      const dim = o.type.kind === 'field' ? o.type.rep.dim : o.type.kind === 'points' ? o.type.dim : 1;
      const rows: string[] = [];
      for (let r = 0; r * dim < v.length && r < 64; r++) rows.push(`<tr><td class="num">${r}</td>${Array.from(v.subarray(r * dim, (r + 1) * dim), (x) => `<td class="num">${x.toFixed(5)}</td>`).join('')}</tr>`);
      const more = v.length / dim > 64 ? `<div class="more">${v.length / dim - 64} more rows</div>` : '';
      return `<div class="output" data-name="${escapeHtml(o.name)}" data-values="${escapeHtml(JSON.stringify(Array.from(v)))}"><div class="caption">out ${escapeHtml(o.name)} (${v.length / dim} × ${dim})</div><table>${rows.join('')}</table>${more}</div>`;
    })
    .join('');
}

/** The unedited example's tfjs module for a model, if the editor holds an example as it came. */
function tfjsModuleOf(module: IRModule): (() => Promise<unknown>) | undefined {
  const example = EXAMPLES.find((e) => e.source === editor.getText());
  return example?.tfjs[module.model];
}

type Engine = 'wgsl' | 'tfjs' | 'ref';

/** Where `auto` runs: WebGPU, else tfjs (an unedited example), else the reference evaluator; and why. */
async function chooseEngine(module: IRModule, wanted: string): Promise<{ engine: Engine; why?: string }> {
  const gpu = await probeWebGpu();
  const refusal = wgslRefusal(module);
  const tfjs = tfjsModuleOf(module);
  if (wanted === 'wgsl') {
    if (!gpu.available) throw new Error(`no WebGPU here: ${gpu.description}`);
    if (refusal) throw new Error(refusal);
    return { engine: 'wgsl' };
  }
  if (wanted === 'tfjs') {
    if (!tfjs) throw new Error('tfjs runs the examples as they came (their modules are generated when the page is built; generating one needs Node): load an example, or run on WebGPU or the reference evaluator');
    return { engine: 'tfjs' };
  }
  if (wanted === 'ref') return { engine: 'ref' };
  if (gpu.available && !refusal) return { engine: 'wgsl' };
  const why = refusal ?? `no WebGPU here (${gpu.description})`;
  return tfjs ? { engine: 'tfjs', why } : { engine: 'ref', why: `${why}; an edited program has no tfjs module` };
}

async function run(): Promise<void> {
  const module = selectedModule();
  const status = $('run-status');
  if (!module) {
    status.textContent = 'fix the errors first';
    return;
  }
  try {
    const batch = batchFor(module);
    const { engine, why } = await chooseEngine(module, $<HTMLSelectElement>('run-target').value);
    status.textContent = `running on ${engine}…`;
    const params = initialParams(module, 0);
    let outputs: Map<string, Float64Array>;
    let where: string;
    if (engine === 'tfjs') {
      const { runOnTfjs } = await import('./tfjs.js');
      const r = await runOnTfjs(tfjsModuleOf(module)!, module, batch, params);
      outputs = r.outputs;
      where = `TensorFlow.js (${r.backend})`;
    } else if (engine === 'wgsl') {
      outputs = await webGpuRunner(module, batch, params, {});
      where = `WebGPU (${(await probeWebGpu()).description})`;
    } else {
      outputs = await referenceRunner(module, batch, params, {});
      where = 'the float64 reference evaluator';
    }
    $('outputs').innerHTML = outputsHtml(module, outputs);
    status.textContent = `${module.model} on ${where}${why ? ` — ${why}` : ''}: ${batch.numGraphs} graph(s), ${batch.numNodes} node(s); weights initialized with seed 0`;
    document.body.dataset.run = engine;
  } catch (e) {
    status.textContent = (e as Error).message;
    document.body.dataset.run = 'failed';
  }
}
$('run').addEventListener('click', () => void run());
$<HTMLInputElement>('upload').addEventListener('change', async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  try {
    uploaded = JSON.parse(await file.text());
    $<HTMLSelectElement>('input-kind').value = 'upload';
    $('input-name').textContent = file.name;
  } catch (err) {
    $('run-status').textContent = `${file.name} is not JSON: ${(err as Error).message}`;
  }
});

// ---- the suite

async function suite(): Promise<void> {
  const module = selectedModule();
  const status = $('suite-status');
  if (!module) {
    status.textContent = 'fix the errors first';
    return;
  }
  const gpu = await probeWebGpu();
  const wanted = $<HTMLSelectElement>('suite-target').value;
  const refusal = wgslRefusal(module);
  if (wanted === 'wgsl' && (!gpu.available || refusal)) {
    status.textContent = `${refusal ?? `no WebGPU here: ${gpu.description}`}; run the suite on the reference evaluator`;
    document.body.dataset.suite = 'error';
    return;
  }
  const target = wanted === 'wgsl' ? 'wgsl' : 'ref';
  try {
    const report = await runSuite(module, target, target === 'wgsl' ? webGpuRunner : referenceRunner, (what) => (status.textContent = `checking ${what}…`));
    const sym = report.symmetries.map((r) => `<tr class="${r.passed ? 'pass' : 'fail'}" data-symmetry="${escapeHtml(r.symmetry)}" data-passed="${r.passed}"><td>${escapeHtml(r.symmetry)}</td><td class="num">${r.error.toExponential(2)}</td><td class="num">${r.tolerance.toExponential(1)}</td><td>${r.passed ? 'pass' : 'FAIL'} (seed ${r.seed}, nodes [${r.nodes.join(', ')}])</td></tr>`);
    const mut = report.mutants.map((m) => `<tr class="${m.caught ? 'pass' : 'fail'}" data-mutant="${m.mutant.name}" data-caught="${m.caught}"><td>${m.mutant.name}</td><td class="num">${m.result.error.toExponential(2)}</td><td class="num">${m.result.tolerance.toExponential(1)}</td><td>${m.caught ? `caught by ${escapeHtml(m.result.symmetry)}` : 'NOT caught'}<div class="more">${escapeHtml(m.mutant.description)}</div></td></tr>`);
    $('suite-results').innerHTML = `<table><thead><tr><th>symmetry</th><th>worst error</th><th>tolerance</th><th></th></tr></thead><tbody>${sym.join('')}</tbody></table><table><thead><tr><th>mutant</th><th>error</th><th>tolerance</th><th></th></tr></thead><tbody>${mut.join('')}</tbody></table>${report.skipped.map((s) => `<div class="more">skipped: ${escapeHtml(s)}</div>`).join('')}`;
    const passed = report.symmetries.every((r) => r.passed) && report.mutants.every((m) => m.caught);
    status.textContent = `${module.model} on ${target === 'wgsl' ? 'WebGPU' : 'the reference evaluator'}: ${passed ? 'every symmetry holds and every mutant is caught' : 'FAILED'}`;
    document.body.dataset.suite = passed ? 'passed' : 'failed';
  } catch (e) {
    status.textContent = (e as Error).message;
    document.body.dataset.suite = 'error';
  }
}
$('suite').addEventListener('click', () => void suite());

// ---- training

$('train').addEventListener('click', async () => {
  const status = $('train-status');
  status.textContent = 'loading TensorFlow.js…';
  try {
    const example = EXAMPLES.find((e) => e.name === 'tetris_chiral.eqv')!;
    const tetris = compileText(example.source).modules[0]!;
    const { trainTetris } = await import('./train.js');
    const epochs = Number($<HTMLInputElement>('epochs').value) || 20;
    const report = await trainTetris(tetris, example.tfjs[tetris.model]!, $<HTMLSelectElement>('train-backend').value, epochs, (losses) => {
      status.textContent = `epoch ${losses.length} of ${epochs}: loss ${losses[losses.length - 1]!.toPrecision(4)}`;
      $('curve').innerHTML = renderCurvesSvg('tetris shapes (examples/tetris_chiral.eqv) on tfjs', [{ name: 'training loss (cross-entropy)', values: losses }]);
    });
    status.textContent = `trained ${report.losses.length} epochs on tfjs ${report.backend}: test accuracy ${(100 * report.accuracy).toFixed(0)}% on ${report.testShapes} shapes in new random poses`;
    document.body.dataset.train = 'done';
  } catch (e) {
    status.textContent = `training failed: ${(e as Error).message}`;
    document.body.dataset.train = 'failed';
  }
});

// ---- start

void probeWebGpu().then((gpu) => {
  const banner = $('gpu');
  banner.textContent = gpu.available
    ? `WebGPU: ${gpu.description}`
    : `No WebGPU here: ${gpu.description}. Runs use TensorFlow.js instead (webgl, or wasm where WebGL is software) for the examples as they came, and the float64 reference evaluator for edited programs; suites run on the reference evaluator; the training demo uses TensorFlow.js either way. In Chrome or Edge WebGPU is on by default; Chromium on Linux needs --enable-unsafe-webgpu.`;
  if (!gpu.available) $<HTMLSelectElement>('suite-target').value = 'ref';
  banner.className = gpu.available ? 'ok' : 'warn';
  document.body.dataset.webgpu = String(gpu.available);
});
loadExample(0);
