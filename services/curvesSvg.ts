// The loss and metric curves of a training run as SVG (`eqvc train` writes `<out>.curves.svg`
// beside its checkpoints after every epoch): one panel per series, epochs on x, values on a
// log scale when they span more than two decades, each point's value in its <title>.

export interface CurveSeries {
  readonly name: string;
  /** Value per epoch (index 0 = epoch 1); NaN where missing. */
  readonly values: readonly number[];
}

const W = 640;
const H = 180;
const PAD = 48;

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderCurvesSvg(title: string, series: readonly CurveSeries[]): string {
  const shown = series.filter((s) => s.values.some(Number.isFinite));
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${30 + shown.length * (H + 20)}" font-family="sans-serif" font-size="11">`, `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`];
  shown.forEach((s, k) => {
    const top = 30 + k * (H + 20);
    const finite = s.values.filter((v) => Number.isFinite(v));
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    const log = lo > 0 && hi / lo > 100;
    const f = (v: number) => (log ? Math.log10(v) : v);
    const [a, b] = [f(lo), f(hi) === f(lo) ? f(lo) + 1 : f(hi)];
    const n = s.values.length;
    const x = (i: number) => PAD + (n > 1 ? (i / (n - 1)) * (W - 2 * PAD) : (W - 2 * PAD) / 2);
    const y = (v: number) => top + H - 20 - ((f(v) - a) / (b - a)) * (H - 40);
    const pts = s.values.map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : '')).filter((p) => p);
    parts.push(
      `<g class="series"><text x="${PAD}" y="${top + 8}" font-weight="bold">${escapeXml(s.name)}${log ? ' (log scale)' : ''}</text>`,
      `<rect x="${PAD}" y="${top + 14}" width="${W - 2 * PAD}" height="${H - 34}" fill="none" stroke="#ccc"/>`,
      `<text x="${PAD - 4}" y="${y(hi)}" text-anchor="end">${hi.toPrecision(3)}</text>`,
      `<text x="${PAD - 4}" y="${y(lo)}" text-anchor="end">${lo.toPrecision(3)}</text>`,
      `<text x="${W - PAD}" y="${top + H}" text-anchor="end">epoch ${n}</text>`,
      `<polyline points="${pts.join(' ')}" fill="none" stroke="#2b6cb0" stroke-width="1.5"/>`,
      ...s.values.map((v, i) => (Number.isFinite(v) ? `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="#2b6cb0"><title>epoch ${i + 1}: ${s.name} ${v.toPrecision(6)}</title></circle>` : '')).filter((p) => p),
      '</g>',
    );
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}
