// The bounds on the work one program may ask of the compiler. Each keeps check and build
// finite and small (seconds, well under 2 GB) whatever the input; a program past one gets a
// diagnostic at the place that asks for it (E1201, or the code named beside the limit), never
// a crash or an endless build. docs/language.md, "Limits", lists them with the reasons.

/** Highest degree l of an O(3)/SO(3) irrep and frequency k of an O(2)/SO(2) one. */
export const MAX_DEGREE = 32;

/** Largest multiplicity `k` in `kx...` (and largest channel count). */
export const MAX_MULTIPLICITY = 65_536;

/** Largest dimension of one value's representation (numbers per row). */
export const MAX_REP_DIM = 65_536;

/** Most coupling-table numbers one tensor product may need (sum of dim a · dim b · dim c over its distinct paths). */
export const MAX_COUPLING_NUMBERS = 2_000_000;

/** Most learned numbers one operation may create. */
export const MAX_PARAMS_PER_OP = 16_777_216;

/** Most operations (typed nodes) one model may expand to, layers inlined. */
export const MAX_MODEL_NODES = 50_000;

/** Deepest chain of layer calls (a layer calling a layer calling ...). */
export const MAX_LAYER_DEPTH = 64;

