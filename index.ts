// The eqv package: the compiler as a library and the math it is built on.

export { compile, compileSource, checkFile } from './compiler/compile.js';
export type { CompileOptions, CompileOutput, CheckOutput } from './compiler/compile.js';
export { renderDiagnostic, diagnosticToJson } from './compiler/diagnostics.js';
export type { Diagnostic } from './compiler/diagnostics.js';
export type { IRModule, IRNode, IRType, IRRep, IRParam } from './compiler/ir.js';
export { formatSource } from './compiler/format.js';
export { explainModel } from './compiler/explain.js';

export * from './stdlib/groups/o3/index.js';
export { Rep } from './stdlib/groups/rep.js';
export type { Atom, RepBlock } from './stdlib/groups/rep.js';
export type { Group, GroupElement } from './stdlib/groups/group.js';
export { lookupGroup } from './stdlib/groups/registry.js';
export { createRng } from './stdlib/math/random.js';

export { evaluate } from './targets/ref/evaluate.js';
export { parseRunInput } from './targets/runtime/inputs.js';
export { initialParams, loadParams } from './targets/runtime/params.js';
export { readSafetensors, writeSafetensors } from './targets/runtime/safetensors.js';
