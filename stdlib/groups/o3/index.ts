// The O(3) math library, usable on its own like e3nn's `o3`: irreps and their algebra,
// Clebsch-Gordan tables, spherical harmonics, rotations and Wigner D matrices, all in e3nn's
// conventions and float64.

export { Irrep, Irreps, IrrepsError } from './irreps.js';
export type { IrrepLike, IrrepsLike, MulIrLike, IrrepsSort, FullTensorProduct, FullTensorProductInstruction } from './irreps.js';
export { wigner3j, wigner3jSparse } from './wigner3j.js';
export type { SparseCoupling } from './wigner3j.js';
export { sphericalHarmonics, sphericalHarmonicsInto, sphericalHarmonicsIrreps } from './sphericalHarmonics.js';
export type { ShNormalization, SphericalHarmonicsOptions, Vectors } from './sphericalHarmonics.js';
export {
  anglesToMatrix,
  anglesToXyz,
  irrepD,
  irrepsD,
  matrixToAngles,
  matrixX,
  matrixY,
  matrixZ,
  randomRotation,
  wignerD,
  xyzToAngles,
} from './rotations.js';
export type { Matrix3Like } from './rotations.js';
