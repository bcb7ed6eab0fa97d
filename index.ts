// The eqv package: the compiler as a library and the math it is built on.

export { compile, compileSource, checkFile } from './compiler/compile.js';
export type { CompileOptions, CompileOutput, CheckOutput } from './compiler/compile.js';
export { renderDiagnostic, diagnosticToJson } from './diagnostics/diagnostic.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export type { IRModule, IRNode, IRType, IRRep, IRParam } from './ir/types.js';
export { formatSource } from './services/format.js';
export { explainModel } from './services/explain.js';

export * from './stdlib/groups/o3/index.js';
export { Rep } from './stdlib/groups/rep.js';
export type { Atom, RepBlock } from './stdlib/groups/rep.js';
export type { Group, GroupElement } from './stdlib/groups/group.js';
export { groupOf, lookupGroup } from './stdlib/groups/registry.js';
export { createRng } from './stdlib/math/random.js';

export { evaluate } from './targets/ref/evaluate.js';
export { parseRunInput } from './targets/io/inputs.js';
export { initialParams, loadParams } from './targets/io/params.js';
export { readSafetensors, writeSafetensors } from './targets/io/safetensors.js';
