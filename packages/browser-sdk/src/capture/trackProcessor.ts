/**
 * MediaStreamTrackProcessor (Chromium, and in workers elsewhere) is not in TypeScript's DOM library yet:
 * the slice of it we use, and a lookup that tells whether this page has it.
 */
export interface TrackProcessor<T> {
  readonly readable: ReadableStream<T>;
}

type TrackProcessorConstructor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor<unknown>;

/** A processor for `track`, or undefined when this browser has no MediaStreamTrackProcessor on the page. */
export function createTrackProcessor<T extends VideoFrame | AudioData>(
  track: MediaStreamTrack,
  maxBufferSize: number,
): TrackProcessor<T> | undefined {
  const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessorConstructor }).MediaStreamTrackProcessor;
  return Processor === undefined ? undefined : (new Processor({ track, maxBufferSize }) as TrackProcessor<T>);
}

export function hasTrackProcessor(): boolean {
  return typeof (globalThis as { MediaStreamTrackProcessor?: unknown }).MediaStreamTrackProcessor === 'function';
}
