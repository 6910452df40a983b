// @remotemedia/shared/kernels: pixel and audio kernels with the same results everywhere. In the browser and in
// Node they are plain JavaScript; inside the edge's QuickJS sandbox the same calls run on the host (V8) directly
// over the bytes in the sandbox's memory, so a sandboxed node runs them at V8 speed. Every function checks its
// arguments first and throws a KERNEL_INVALID_ARGUMENT RemoteMediaError naming the bad one.
export { biquadCoefficients, type BiquadDesign, type BiquadType } from './biquadDesign.ts';
export { KERNEL_TABLE, type KernelArgKind, type KernelEntry, type KernelName } from './kernelTable.ts';
export { ForeignValue, kernelArgumentError, MAX_DIMENSION } from './kernelArguments.ts';
export { HOST_ERROR_SEPARATOR, HOST_KERNELS_GLOBAL, kernelsRunOnHost, runKernel } from './runKernel.ts';
export { MAX_FFT_SIZE } from './audio.ts';
export { RESIZE_MODES, type ResizeMode } from './pixelGeometry.ts';
export {
  adjust,
  type Adjustment,
  adjustmentTable,
  applyLut,
  biquad,
  blend,
  blendColor,
  boxBlur3x3,
  composite,
  convert,
  convolve,
  crop,
  difference,
  dilate,
  drawRect,
  erode,
  fftMagnitude,
  FILTERS,
  flip,
  gain,
  grayscale,
  histogram,
  type KernelImage,
  meanVariance,
  mix,
  type Rect,
  resize,
  rmsPeak,
  rotate,
  separableFilter,
  sobel,
  threshold,
} from './kernelFunctions.ts';
