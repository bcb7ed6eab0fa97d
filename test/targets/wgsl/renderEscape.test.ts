// Source lines reach WGSL kernels as comments; the module `eqvc build --target wgsl` writes
// holds each kernel in a template literal. A backtick, `${` or a backslash in the .eqv line
// must neither break that module nor change the kernel text (it used to throw).
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../compiler/compile.js';
import { planModule } from '../../../targets/wgsl/lower.js';
import { renderWgslModule } from '../../../targets/wgsl/render.js';

describe('the wgsl module escapes kernel text', () => {
  it('a comment with a backtick, ${ and a backslash round-trips through the template literal', () => {
    const out = compileSource('model M : O(3) {\n  in x: node[2x0e]\n  out y: node[2x0e]\n  y = silu(x) /* `${globalThis.x}` \\u0041 \\ */\n}\n');
    expect(out.diagnostics).toEqual([]);
    const plan = planModule(out.ir[0]!);
    const text = renderWgslModule(plan);
    const kernel = plan.kernels.find((k) => k.code.includes('`${globalThis.x}`'))!;
    expect(kernel).toBeDefined();
    const start = text.indexOf(`  ${kernel.name}: \``) + kernel.name.length + 5;
    const end = text.indexOf('`,\n', start);
    // Evaluating the literal as JavaScript gives back the kernel exactly, and runs nothing.
    const value = new Function(`return \`${text.slice(start, end)}\`;`)() as string;
    expect(value).toBe(kernel.code);
  });
});
