// Dawn (the WebGPU implementation behind the wgsl target in Node) prints its warnings from native
// code straight to file descriptor 2: "Warning: Couldn't load Vulkan ... BackendVk.cpp:368",
// "Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced ...". Node cannot
// redirect a descriptor inside the process, so a command that starts Dawn runs in a child eqvc
// whose stderr passes through the filter below; stdout and stdin are the parent's. `--verbose`
// (or EQV_VERBOSE=1) shows everything.

import { constants } from 'node:os';

/** Set in the child, so that it runs the command instead of spawning again. */
const CHILD_ENV = 'EQV_DAWN_FILTERED';

/** Whether the command line starts Dawn: `run -t wgsl`, and `test` unless its targets leave wgsl out. */
export function startsDawn(argv: readonly string[]): boolean {
  const command = argv.find((a) => !a.startsWith('-'));
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-t' || a === '--target') {
      for (let j = i + 1; j < argv.length && !argv[j]!.startsWith('-'); j++) {
        targets.push(argv[j]!);
        if (command !== 'test') break;
      }
    } else if (a.startsWith('--target=')) targets.push(a.slice('--target='.length));
  }
  if (command === 'run') return targets.includes('wgsl');
  if (command === 'test') return targets.length === 0 || targets.includes('wgsl');
  return false;
}

export function wantsDawnFilter(argv: readonly string[], env: Record<string, string | undefined>): boolean {
  return env[CHILD_ENV] === undefined && env.EQV_VERBOSE !== '1' && !argv.includes('--verbose') && startsDawn(argv);
}

/**
 * Removes Dawn's warnings from a stream of stderr text, line by line: a line `Warning: ...` and
 * the source-location lines (`    at operator() (.../BackendVk.cpp:368)`) and the one blank line
 * that follow it. eqvc's own warnings are lowercase (`warning[W0001]`, `eqvc: warning`) and pass.
 */
export class DawnWarningFilter {
  private pending = '';
  private dropping = false;

  /** Feeds a chunk; returns the text to print. */
  push(chunk: string): string {
    this.pending += chunk;
    const lines = this.pending.split('\n');
    this.pending = lines.pop()!;
    return lines.map((l) => this.line(l)).filter((l): l is string => l !== undefined).map((l) => l + '\n').join('');
  }

  /** The rest, at the end of the stream. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    if (rest.length === 0) return '';
    const kept = this.line(rest);
    return kept ?? '';
  }

  private line(l: string): string | undefined {
    if (/^Warning: /.test(l)) {
      this.dropping = true;
      return undefined;
    }
    if (this.dropping) {
      if (/^\s+at .*:\d+\)?\s*$/.test(l)) return undefined;
      this.dropping = false;
      if (l.trim() === '') return undefined;
    }
    return l;
  }
}

/** Runs this eqvc command line again in a child whose stderr is filtered; resolves to its exit code. */
export async function runWithDawnFiltered(argv: readonly string[], write: (text: string) => void): Promise<number> {
  // Loaded here, not at the top: node:child_process costs every eqvc start ~8 ms, and only the
  // commands that start Dawn spawn anything.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...argv], {
      stdio: ['inherit', 'inherit', 'pipe'],
      env: { ...process.env, [CHILD_ENV]: '1' },
    });
    const filter = new DawnWarningFilter();
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      const text = filter.push(chunk);
      if (text) write(text);
    });
    child.on('error', (e) => {
      write(`eqvc: cannot start ${process.execPath}: ${e.message}\n`);
      resolve(70);
    });
    child.on('close', (code, signal) => {
      const rest = filter.end();
      if (rest) write(rest);
      // A child killed by a signal exits as a shell reports it: 128 + the signal's number.
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
