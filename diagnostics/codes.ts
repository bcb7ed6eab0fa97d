// Every diagnostic code eqvc can emit, with its default severity and a one-line title.
// docs/diagnostics.md documents each with a wrong program, the message and the fix; a test
// checks that every code here is documented there and exercised by a test program.

export interface DiagnosticCodeInfo {
  readonly severity: 'error' | 'warning';
  readonly title: string;
}

export const DIAGNOSTIC_CODES = {
  // Lexical and syntax (grammar/)
  E0001: { severity: 'error', title: 'syntax error' },
  E0002: { severity: 'error', title: 'unterminated string or block comment' },
  E0003: { severity: 'error', title: 'unexpected character' },
  E0004: { severity: 'error', title: 'malformed literal' },
  E0005: { severity: 'error', title: 'source file is not UTF-8 text' },

  // Names, imports and declarations (compiler/resolve)
  E0101: { severity: 'error', title: 'cannot read imported file' },
  E0102: { severity: 'error', title: 'import cycle' },
  E0103: { severity: 'error', title: 'unknown name' },
  E0104: { severity: 'error', title: 'duplicate definition' },
  E0105: { severity: 'error', title: 'unknown standard library module' },
  E0106: { severity: 'error', title: 'unknown member of an imported module' },
  E0107: { severity: 'error', title: 'no model to build' },
  E0108: { severity: 'error', title: 'unknown symmetry group' },
  E0109: { severity: 'error', title: 'recursive layer' },
  E0110: { severity: 'error', title: 'import outside the project' },

  // Representations and types (compiler/check)
  E0201: { severity: 'error', title: 'invalid representation for this group' },
  E0202: { severity: 'error', title: 'type annotation does not match the value' },
  E0203: { severity: 'error', title: 'argument has the wrong type' },
  E0204: { severity: 'error', title: 'tensor product cannot produce a requested irrep' },
  E0205: { severity: 'error', title: 'model output has the wrong type' },
  E0206: { severity: 'error', title: 'layer returns the wrong type' },
  E0207: { severity: 'error', title: 'wrong domain' },
  E0208: { severity: 'error', title: 'no equivariant linear map exists' },
  E0209: { severity: 'error', title: 'pointwise nonlinearity on a non-scalar' },
  E0210: { severity: 'error', title: 'activation breaks parity' },
  E0211: { severity: 'error', title: 'positions used as features' },
  E0212: { severity: 'error', title: 'gate inputs do not fit' },
  E0213: { severity: 'error', title: 'representation variable bound twice' },
  E0214: { severity: 'error', title: 'spherical harmonics need a vector' },
  E0215: { severity: 'error', title: 'per-sample weights do not fit' },
  E0216: { severity: 'error', title: 'tensor product mode does not fit the multiplicities' },
  E0217: { severity: 'error', title: 'irreps not present' },
  E0218: { severity: 'error', title: 'reduction is not equivariant' },
  E0219: { severity: 'error', title: 'radial basis needs edge lengths' },
  E0220: { severity: 'error', title: 'MLP needs invariant scalars' },
  E0221: { severity: 'error', title: 'operation not available for this group' },
  E0222: { severity: 'error', title: 'not a value' },
  E0223: { severity: 'error', title: 'Gaunt product cannot reach a requested irrep' },
  E0224: { severity: 'error', title: 'frame averaging output is not scalars and vectors' },
  E0225: { severity: 'error', title: 'sphere activation input is not a signal on the sphere' },

  // Calls and options
  E0301: { severity: 'error', title: 'unknown option' },
  E0302: { severity: 'error', title: 'missing argument' },
  E0303: { severity: 'error', title: 'too many arguments' },
  E0304: { severity: 'error', title: 'option value has the wrong kind' },
  E0305: { severity: 'error', title: 'argument given twice' },
  E0306: { severity: 'error', title: 'not callable' },
  E0307: { severity: 'error', title: 'option value out of range' },

  // Statements and structure
  E0401: { severity: 'error', title: 'output never assigned' },
  E0402: { severity: 'error', title: 'output assigned twice' },
  E0403: { severity: 'error', title: 'assignment to something that is not an output' },
  E0404: { severity: 'error', title: 'statement not allowed here' },
  E0405: { severity: 'error', title: 'layer does not return exactly once, at the end' },
  E0406: { severity: 'error', title: 'model has no outputs' },

  // Compile-time constants
  E0501: { severity: 'error', title: 'not a compile-time constant' },
  E0502: { severity: 'error', title: 'operator does not apply to these operands' },

  // Permutations S(n), pair values and product groups (stdlib/groups/perm, compiler/ops/permLinear.ts)
  E0801: { severity: 'error', title: 'unsupported product group' },
  E0802: { severity: 'error', title: '`pair` values need a permutation group' },
  E0803: { severity: 'error', title: 'permutation-equivariant layer in a group without permutations' },
  E0804: { severity: 'error', title: 'permutation-equivariant layer on channels that are not invariant' },

  // The 2D rotation groups SO(2), O(2), SE(2), E(2) (stdlib/groups/o2)
  E0601: { severity: 'error', title: 'parity letter in SO(2) or SE(2)' },
  E0602: { severity: 'error', title: 'parity letter on a 2-dimensional irrep of O(2) or E(2)' },
  E0603: { severity: 'error', title: 'not a frequency' },
  E0604: { severity: 'error', title: 'scalar without parity in O(2) or E(2)' },

  // GL+(n) and SL(n) tensor representations (stdlib/groups/gl)
  E0701: { severity: 'error', title: 'not a tensor representation of GL+(n) or SL(n)' },
  E0702: { severity: 'error', title: 'tensor rank above the supported limit' },

  // Flows on grid sequences (stdlib/groups/flow, compiler/ops/flow.ts)
  E0901: { severity: 'error', title: 'malformed Flow group' },
  E0902: { severity: 'error', title: 'velocity set not closed under addition' },
  E0903: { severity: 'error', title: 'grid or sequence value in a group without flows' },
  E0904: { severity: 'error', title: 'flow operation on a value of the wrong domain' },
  E0905: { severity: 'error', title: 'lifted or unlifted channels where the other is needed' },
  E0906: { severity: 'error', title: 'convolution kernel does not fit the grid' },

  // Arithmetic on values (compiler/check/arithmetic.ts)
  E1001: { severity: 'error', title: 'arithmetic on values of different types' },
  E1002: { severity: 'error', title: 'product of two values that is not a scaling' },
  E1003: { severity: 'error', title: 'arithmetic between a value and a constant that is not a scaling' },
  E1004: { severity: 'error', title: 'arithmetic on points or graphs' },

  // Derivatives as values (compiler/ops/grad.ts)
  E1101: { severity: 'error', title: 'gradient of a value that is not an invariant graph scalar' },
  E1102: { severity: 'error', title: 'gradient with respect to something other than positions' },
  E1103: { severity: 'error', title: 'gradient in a group without positions' },
  E1104: { severity: 'error', title: 'operation on the path from the positions is not differentiable' },
  E1105: { severity: 'error', title: 'gradient of a value that does not depend on the positions' },

  // Attention (compiler/ops/attention.ts)
  E1401: { severity: 'error', title: 'attention logits that are not invariant scalars' },
  E1402: { severity: 'error', title: 'attention heads that do not split the values equally' },
  // Periodic cells and given graphs (compiler/ops/graph.ts, compiler/check/checker.ts)
  E1501: { severity: 'error', title: 'periodic cell in a group without points' },
  E1502: { severity: 'error', title: 'cell argument is not a cell input' },
  E1503: { severity: 'error', title: 'given graph without one positions input' },
  E1504: { severity: 'error', title: 'stress without positions and a periodic cell' },
  E1505: { severity: 'error', title: 'stress in a group whose points are not 3D' },

  // Limits on the work one program may ask for (stdlib/limits.ts)
  E1201: { severity: 'error', title: 'program exceeds a compiler limit' },
  // Species and MACE's product basis
  E1301: { severity: 'error', title: 'malformed species type' },
  E1302: { severity: 'error', title: 'not a species input' },
  E1303: { severity: 'error', title: 'correlation order out of range' },
  E1304: { severity: 'error', title: 'symmetric contraction channels do not fit' },
  E1305: { severity: 'error', title: 'symmetric contraction cannot produce a requested irrep' },
  // Sparse tensor products: learned path gates and pruned path lists
  E1601: { severity: 'error', title: 'path gates on a tensor product without shared weights' },
  E1602: { severity: 'error', title: 'malformed path list' },

  // Warnings
  W0001: { severity: 'warning', title: 'unused value' },
  W0002: { severity: 'warning', title: 'unused input' },
  W0003: { severity: 'warning', title: 'unused declaration' },
  W0004: { severity: 'warning', title: 'option has no effect' },
  W0005: { severity: 'warning', title: 'sphere grid too coarse for equivariance' },

  // A bug in eqvc, never the user's fault
  E9999: { severity: 'error', title: 'internal compiler error' },
} as const satisfies Record<string, DiagnosticCodeInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
