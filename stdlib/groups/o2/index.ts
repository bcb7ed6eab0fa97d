// The O(2) math library: frequencies (the irreps of O(2) and SO(2)), their coupling tensors,
// circular harmonics, and O(2) elements with the matrices of every irrep.

export { Frequency, compareFrequencies, parseFrequency } from './irreps.js';
export { frequencyCoupling, frequencyProductRule, frequencyProducts } from './coupling.js';
export { circularHarmonics, circularScale } from './harmonics.js';
export type { CircularHarmonicsOptions, CircularNormalization } from './harmonics.js';
export { frequencyMatrix, o2Angle, o2Matrix, randomO2 } from './rotations.js';
export { E2, O2, SE2, SO2 } from './plugins.js';
