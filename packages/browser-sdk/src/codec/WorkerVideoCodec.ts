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

type Reply = { id: number; ok: true; data: ArrayBuffer; format: string } | { id: number; ok: false; message: string };
/** What the worker answers: the bytes, and their format (a pixel format, or `jpeg`). */
interface WorkerResult {
  data: ArrayBuffer;
  format: string;
}

/**
 * JPEG for browsers, in a dedicated Worker (see jpegWorkerSource.ts): frames are compressed and decompressed off
 * the page's main thread. The worker decodes straight to the format the app sent (natively where the browser
 * has ImageDecoder); only where it could give RGBA alone (no ImageDecoder, a JPEG that is not 4:2:0) is the
 * frame converted here, so nodes and the app see the format they chose.
 */
export class WorkerVideoCodec implements VideoFrameCodec {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(result: WorkerResult): void; reject(error: Error): void }>();
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
    const { data: jpeg } = await this.run(
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
    const reply = await this.run({ op: 'decode', width, height, format: frame.format, data }, data);
    const format = reply.format === 'i420' || reply.format === 'gray' ? reply.format : 'rgba';
    const decoded: VideoFrameData = { kind: 'video', width, height, format, timestamp: frame.timestamp, data: new Uint8Array(reply.data) };
    return format === frame.format ? decoded : convertPixelFormat(decoded, frame.format, 'limited');
  }

  close(): void {
    this.fail(new RemoteMediaError(ErrorCode.Disposed, 'the session closed: its JPEG worker is gone'));
  }

  private run(request: Record<string, unknown>, transfer: ArrayBuffer): Promise<WorkerResult> {
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
    if (reply.ok) waiter.resolve({ data: reply.data, format: reply.format });
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
