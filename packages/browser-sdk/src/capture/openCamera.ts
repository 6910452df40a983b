import { ErrorCode, RemoteMediaError, type VideoFrameData } from '@remotemedia/shared';
import { cameraFrames, type CameraFramesOptions } from './cameraFrames.ts';

export interface OpenCameraOptions extends Omit<CameraFramesOptions, 'maxFrames'> {
  /** A `deviceId` from `listMediaDevices('videoinput')`; default: the browser's choice. */
  deviceId?: string;
}

/** A camera opened with getUserMedia: its stream (for a <video> preview) and its frames. */
export interface CameraCapture {
  readonly stream: MediaStream;
  readonly track: MediaStreamTrack;
  /** A new iterator over the camera's frames with the options given at open (`maxFrames` may be added). */
  frames(overrides?: Partial<CameraFramesOptions>): AsyncGenerator<VideoFrameData>;
  /** Stops the camera (its light goes off). Idempotent. */
  stop(): void;
}

/**
 * Opens a camera at the requested size and frame rate. Browsers treat the size as a wish: frames are
 * scaled to exactly `width` x `height` whatever the camera delivers.
 */
export async function openCamera(options: OpenCameraOptions): Promise<CameraCapture> {
  const video: MediaTrackConstraints = {
    width: { ideal: options.width },
    height: { ideal: options.height },
    ...(options.fps !== undefined ? { frameRate: { ideal: options.fps } } : {}),
    ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}),
  };
  const stream = await getUserMedia({ video, audio: false }, 'camera');
  const track = stream.getVideoTracks()[0]!;
  return {
    stream,
    track,
    frames: (overrides = {}) => cameraFrames(track, { ...options, ...overrides }),
    stop: () => stream.getTracks().forEach((t) => t.stop()),
  };
}

/** getUserMedia with its DOMExceptions (denied, no device, busy) turned into typed errors naming the device. */
export async function getUserMedia(constraints: MediaStreamConstraints, what: string): Promise<MediaStream> {
  const devices = (globalThis as { navigator?: Navigator }).navigator?.mediaDevices;
  if (devices?.getUserMedia === undefined) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `cannot open the ${what}: getUserMedia needs a secure context (https or localhost)`);
  }
  try {
    return await devices.getUserMedia(constraints);
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    const reason =
      name === 'NotAllowedError'
        ? 'permission was denied'
        : name === 'NotFoundError'
          ? 'no such device'
          : name === 'NotReadableError'
            ? 'the device is busy or failed'
            : name === 'OverconstrainedError'
              ? 'the device cannot satisfy the requested settings'
              : (error as Error).message;
    throw new RemoteMediaError(ErrorCode.InvalidInput, `cannot open the ${what}: ${reason} (${name})`, { cause: error });
  }
}
