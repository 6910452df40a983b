import type { AudioFrameData } from '@remotemedia/shared';
import { microphoneFrames, type MicrophoneFramesOptions } from './microphoneFrames.ts';
import { getUserMedia } from './openCamera.ts';

export interface OpenMicrophoneOptions extends Omit<MicrophoneFramesOptions, 'maxFrames'> {
  /** A `deviceId` from `listMediaDevices('audioinput')`; default: the browser's choice. */
  deviceId?: string;
  /**
   * Let the browser clean up the signal (echo cancellation, noise suppression, automatic gain). Default
   * false: processing on the edge wants the signal as the microphone heard it, and gain control would
   * change levels under any measurement.
   */
  voiceProcessing?: boolean;
}

export interface MicrophoneCapture {
  readonly stream: MediaStream;
  readonly track: MediaStreamTrack;
  /** A new iterator over the microphone's frames with the options given at open. */
  frames(overrides?: Partial<MicrophoneFramesOptions>): AsyncGenerator<AudioFrameData>;
  /** Stops the microphone. Idempotent. */
  stop(): void;
}

export async function openMicrophone(options: OpenMicrophoneOptions = {}): Promise<MicrophoneCapture> {
  const processing = options.voiceProcessing ?? false;
  const audio: MediaTrackConstraints = {
    echoCancellation: processing,
    noiseSuppression: processing,
    autoGainControl: processing,
    ...(options.channels !== undefined ? { channelCount: { ideal: options.channels } } : {}),
    ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}),
  };
  const stream = await getUserMedia({ audio, video: false }, 'microphone');
  const track = stream.getAudioTracks()[0]!;
  return {
    stream,
    track,
    frames: (overrides = {}) => microphoneFrames(track, { ...options, ...overrides }),
    stop: () => stream.getTracks().forEach((t) => t.stop()),
  };
}
