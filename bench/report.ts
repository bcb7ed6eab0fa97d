// Timing and reporting shared by the benchmarks.

export interface BenchResult {
  readonly workload: string;
  readonly target: string;
  readonly backend: string;
  /** Median seconds per run. */
  readonly seconds: number;
  readonly items_per_s: number;
  readonly gflops?: number;
  readonly note?: string;
}

/** Median and minimum wall time of `runs` calls, in seconds. */
export function timeIt(fn: () => void, runs: number): { median: number; min: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]! };
}

export async function timeAsync(fn: () => Promise<void>, runs: number): Promise<{ median: number; min: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]! };
}

function human(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(2);
}

export function renderTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [r.workload, r.target, r.backend, `${(r.seconds * 1000).toFixed(1)} ms`, `${human(r.items_per_s)}/s`, r.gflops !== undefined ? r.gflops.toFixed(2) : '-', r.note ?? '']);
  const header = ['workload', 'target', 'backend', 'time', 'items', 'GFLOP/s', 'note'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  return all.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}
