/** Name the capture processor registers under. */
export const CAPTURE_PROCESSOR = 'remotemedia-capture';

/**
 * Runs on the audio thread: posts each render quantum (128 frames) of its input, interleaved, to the page.
 * The buffer is transferred, not copied. Source text, because worklet modules load by URL.
 */
export const CAPTURE_WORKLET_SOURCE = `
class RemoteMediaCapture extends AudioWorkletProcessor {
  process(inputs) {
    const input = inputs[0];
    if (input && input.length > 0) {
      const channels = input.length;
      const frames = input[0].length;
      const out = new Float32Array(frames * channels);
      for (let c = 0; c < channels; c++) {
        const plane = input[c];
        for (let f = 0; f < frames; f++) out[f * channels + c] = plane[f];
      }
      this.port.postMessage(out, [out.buffer]);
    }
    return true;
  }
}
registerProcessor(${JSON.stringify('remotemedia-capture')}, RemoteMediaCapture);
`;
