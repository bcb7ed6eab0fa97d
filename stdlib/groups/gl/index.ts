// GL+(n) and SL(n): tensor representations, their equivariant maps (δ and ε products, kept
// where exactly independent), samplers and representation matrices.
export { GLPlus, SL } from './plugins.js';
export { TensorAtom, formatTensorAtom } from './tensorRep.js';
export { tensorMaps, type GLKind } from './equivariantMaps.js';
export { tensorMatrix, randomGLPlus, determinant, inverse } from './matrices.js';
export { MAX_RANK } from './notation.js';
