/**
 * MediaStreamTrackGenerator (Chromium; the standard VideoTrackGenerator lives only in workers) is not in
 * TypeScript's DOM library: the slice of it we use.
 */
export interface TrackGenerator<T> extends MediaStreamTrack {
  readonly writable: WritableStream<T>;
}

type TrackGeneratorConstructor = new (init: { kind: 'video' | 'audio' }) => MediaStreamTrack & { writable: WritableStream<unknown> };

export function createTrackGenerator<T extends VideoFrame | AudioData>(kind: 'video' | 'audio'): TrackGenerator<T> | undefined {
  const Generator = (globalThis as { MediaStreamTrackGenerator?: TrackGeneratorConstructor }).MediaStreamTrackGenerator;
  return Generator === undefined ? undefined : (new Generator({ kind }) as TrackGenerator<T>);
}
