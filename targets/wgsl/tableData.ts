// A plan's constant tables travel as base64 of their little-endian float32 bytes: exact float32
// values in a third of the characters that JSON numbers would take (a sphere grid's two matrices
// are tens of thousands of numbers). Browser- and Node-safe (btoa/atob, DataView).

/** float32 little-endian bytes of `values`, base64. */
export function encodeF32(values: ArrayLike<number>): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i]!, true);
  const bytes = new Uint8Array(view.buffer);
  let binary = '';
  // In slices: String.fromCharCode takes its bytes as arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function decodeF32(base64: string): Float32Array<ArrayBuffer> {
  const binary = atob(base64);
  if (binary.length % 4 !== 0) throw new Error(`a float32 table has ${binary.length} bytes, not a multiple of 4`);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const out = new Float32Array(binary.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}
