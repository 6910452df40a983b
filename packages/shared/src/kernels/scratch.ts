/**
 * Intermediate rows for two-pass filters, reused across calls: kernels run synchronously on one thread, so one
 * buffer per element type suffices, and a filter per frame does not allocate megabytes each time.
 */
let u16 = new Uint16Array(0);
let f32 = new Float32Array(0);

export function scratchU16(length: number): Uint16Array {
  if (u16.length < length) u16 = new Uint16Array(length);
  return u16;
}

export function scratchF32(length: number): Float32Array {
  if (f32.length < length) f32 = new Float32Array(length);
  return f32;
}
