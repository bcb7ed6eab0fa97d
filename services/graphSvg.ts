// `eqvc graph`: a model's dataflow as an SVG picture. One row per value of the IR, in evaluation
// order, labelled with its id, op, type and dimension (and its name when it is an input or
// output); the values a layer call produced sit in a box named after the call; each row's
// <title> holds the .eqv line it came from, which browsers show on hover. Edges run on the
// left from a value to the values that use it. Plain SVG text, no fonts or scripts needed.

import type { IRModule, IRNode, IRType } from '../ir/types.js';

const ROW = 26;
const TOP = 40;
const LEFT = 150;
const WIDTH = 980;

export function typeText(t: IRType): string {
  if (t.kind === 'points') return `node[pos] (dim ${t.dim})`;
  if (t.kind === 'graph') return 'graph';
  if (t.kind === 'cell') return `graph[cell] (${t.dim}x${t.dim})`;
  return `${t.domain}[${t.rep.text}] (dim ${t.rep.dim})`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The layer call a node was inlined through (innermost), or undefined at the model's top level. */
function layerOf(n: IRNode): string | undefined {
  const via = n.source?.via;
  return via && via.length > 0 ? via.join(' > ') : undefined;
}

export function renderGraphSvg(module: IRModule): string {
  const nodes = module.nodes;
  const row = new Map<string, number>(nodes.map((n, i) => [n.id, i]));
  const names = new Map<string, string>();
  for (const i of module.inputs) names.set(i.value, `in ${i.name}`);
  for (const o of module.outputs) names.set(o.value, `${names.has(o.value) ? names.get(o.value) + ', ' : ''}out ${o.name}`);
  const y = (i: number) => TOP + i * ROW;
  const height = TOP + nodes.length * ROW + 20;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="12">`,
    `<title>${escapeXml(`${module.model} : ${module.group.name} (${module.source})`)}</title>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(`model ${module.model} : ${module.group.name}`)}</text>`,
  ];
  // Layer calls: a box around each run of consecutive values from the same call.
  for (let i = 0; i < nodes.length; ) {
    const layer = layerOf(nodes[i]!);
    let j = i + 1;
    while (j < nodes.length && layerOf(nodes[j]!) === layer) j++;
    if (layer !== undefined) {
      parts.push(
        `<g class="layer"><title>${escapeXml(layer)}</title>`,
        `<rect x="${LEFT - 6}" y="${y(i) - 16}" width="${WIDTH - LEFT - 4}" height="${(j - i) * ROW}" fill="#eef3fb" stroke="#8aa6d6" rx="4"/>`,
        `<text x="${WIDTH - 12}" y="${y(i) - 4}" text-anchor="end" fill="#4a6aa5">${escapeXml(layer)}</text></g>`,
      );
    }
    i = j;
  }
  // Edges: from a value's row to each row that uses it, as arcs on the left.
  for (const [k, n] of nodes.entries()) {
    for (const input of n.inputs) {
      const from = row.get(input);
      if (from === undefined) continue;
      const bend = Math.min(LEFT - 20, 10 + 4 * (k - from));
      parts.push(`<path class="edge" d="M ${LEFT - 8} ${y(from) - 4} C ${LEFT - 8 - bend} ${y(from) - 4}, ${LEFT - 8 - bend} ${y(k) - 4}, ${LEFT - 8} ${y(k) - 4}" fill="none" stroke="#999"/>`);
    }
  }
  for (const [k, n] of nodes.entries()) {
    const where = n.source ? `${n.source.file}:${n.source.line}:${n.source.col}  ${n.source.text}` : module.source;
    const name = names.get(n.id);
    parts.push(
      `<g class="value" id="${escapeXml(n.id.replace('%', 'v'))}"><title>${escapeXml(where)}</title>`,
      `<text x="10" y="${y(k)}" fill="#333">${escapeXml(name ?? '')}</text>`,
      `<text x="${LEFT}" y="${y(k)}"><tspan font-weight="bold">${escapeXml(n.id)}</tspan> ${escapeXml(n.op)} : <tspan fill="#1a5e20">${escapeXml(typeText(n.type))}</tspan></text></g>`,
    );
  }
  parts.push('</svg>', '');
  return parts.join('\n');
}
