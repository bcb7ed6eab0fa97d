// The floating-point types the torch target runs in.

export type TorchDtype = 'float32' | 'float64';
export const TORCH_DTYPES: readonly TorchDtype[] = ['float32', 'float64'];
