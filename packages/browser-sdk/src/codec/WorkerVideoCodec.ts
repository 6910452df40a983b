import {
  ErrorCode,
  RemoteMediaError,
  convertPixelFormat,
  readJpegSize,
  type EncodedVideoFrameData,
  type JpegVideoEncoding,
  type VideoFrameData,
} from '@remotemedia/shared';
import { scaledSize, type VideoFrameCodec } from '../session/VideoFrameCodec.ts';
import { JPEG_WORKER_SOURCE } from './jpegWorkerSource.ts';

type Reply = { id: number; ok: true; data: ArrayBuffer } | { id: number; ok: false; message: string };

/**
 * JPEG for browsers, in a dedicated Worker (see jpegWorkerSource.ts): frames are compressed and decompressed off
 * the page's main thread. Decoded frames come back as RGBA; one the app sent as i420 or gray is converted back
 * here (a JS pass, ~1-3 ms at 640x480), so nodes and the app see the format they chose.
 */
export class WorkerVideoCodec implements VideoFrameCodec {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(data: ArrayBuffer): void; reject(error: Error): void }>();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor() {
    const url = URL.createObjectURL(new Blob([JPEG_WORKER_SOURCE], { type: 'text/javascript' }));
    try {
      this.worker = new Worker(url);
    } finally {
      URL.revokeObjectURL(url);
    }
    this.worker.onmessage = (event: MessageEvent<Reply>) => this.settle(event.data);
    this.worker.onerror = (event) =>
      this.fail(new Error(`the JPEG worker failed: ${event.message || 'it could not start (a Content-Security-Policy without worker-src blob:?)'}`));
  }

  /** Throws when this browser cannot compress in a worker (no Worker, OffscreenCanvas or VideoFrame). */
  static create(): WorkerVideoCodec {
    const scope = globalThis as { Worker?: unknown; OffscreenCanvas?: { prototype: { convertToBlob?: unknown } }; VideoFrame?: unknown };
    if (scope.Worker === undefined || scope.OffscreenCanvas?.prototype.convertToBlob === undefined || scope.VideoFrame === undefined) {
      throw new Error('this browser lacks Worker, OffscreenCanvas.convertToBlob or VideoFrame, which JPEG video needs');
    }
    return new WorkerVideoCodec();
  }

  async encode(frame: VideoFrameData, encoding: JpegVideoEncoding, scale: number): Promise<EncodedVideoFrameData> {
    const out = scaledSize(frame.width, frame.height, scale);
    // A copy goes to the worker (transferred): the app keeps its frame.
    const data = frame.data.slice().buffer;
    const { width, height, format } = frame;
    const jpeg = await this.run(
      { op: 'encode', width, height, format, data, quality: encoding.quality, outWidth: out.width, outHeight: out.height },
      data,
    );
    return {
      kind: 'encoded-video',
      codec: 'jpeg',
      width: out.width,
      height: out.height,
      format,
      timestamp: frame.timestamp,
      data: new Uint8Array(jpeg),
    };
  }

  async decode(frame: EncodedVideoFrameData): Promise<VideoFrameData> {
    const { width, height } = frame;
    // Checked before the browser decodes (and allocates) anything: the header must declare the frame's own size.
    const declared = readJpegSize(frame.data);
    if (declared === undefined || declared.width !== width || declared.height !== height) {
      throw new RemoteMediaError(
        ErrorCode.FrameDecodeFailed,
        `the edge sent a ${width}x${height} frame whose JPEG declares ${declared === undefined ? 'no readable size' : `${declared.width}x${declared.height}`}`,
      );
    }
    const data = frame.data.slice().buffer;
    const rgba = new Uint8Array(await this.run({ op: 'decode', width, height, data }, data));
    const decoded: VideoFrameData = { kind: 'video', width, height, format: 'rgba', timestamp: frame.timestamp, data: rgba };
    return frame.format === 'rgba' ? decoded : convertPixelFormat(decoded, frame.format, 'limited');
  }

  close(): void {
    this.fail(new RemoteMediaError(ErrorCode.Disposed, 'the session closed: its JPEG worker is gone'));
  }

  private run(request: Record<string, unknown>, transfer: ArrayBuffer): Promise<ArrayBuffer> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, [transfer]);
    });
  }

  private settle(reply: Reply): void {
    const waiter = this.pending.get(reply.id);
    if (waiter === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.data);
    else waiter.reject(new Error(reply.message));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.worker.terminate();
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/** The browser entry's codec loader. */
export async function loadBrowserVideoCodec(): Promise<VideoFrameCodec> {
  return WorkerVideoCodec.create();
}
