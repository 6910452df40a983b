import {
  ErrorCode,
  PendingRequests,
  RemoteMediaError,
  type ClientMessage,
  type DroppedMessage,
  type OutputMessage,
  type PongMessage,
  type RemoteError,
  type ReplyMessage,
  type Unversioned,
} from '@remotemedia/shared';
import { EdgeClock } from './EdgeClock.ts';
import { FrameTimings } from './FrameTimings.ts';
import type { NodeRef } from './NodeChannel.ts';
import { RoundTripStats } from './RoundTripStats.ts';
import type { SessionConnection } from './SessionConnection.ts';
import type { SessionStats } from './SessionStats.ts';
import type { VideoWire, WireFrame } from './VideoWire.ts';
import { OrderedTurns } from './OrderedTurns.ts';

type RequestMessage = Extract<ClientMessage, { id: number }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A request as callers write it: the requests add `id` and the channel adds `v`. */
export type RequestBody = DistributiveOmit<RequestMessage, 'v' | 'id'>;
/** `internal`: part of reconnecting itself, so allowed while user requests are refused. */
export interface RequestHow {
  internal?: boolean;
}

/** What the requests need of the connection: may work start now, the way out, the edge's frame limit. */
export type RequestRoute = Pick<SessionConnection, 'assertUsable' | 'send' | 'welcome'>;

type FrameCounters = Pick<
  SessionStats,
  'framesSent' | 'framesReceived' | 'framesDroppedByEdge' | 'framesSkippedByDeadline' | 'framesFailed' | 'framesLost'
>;
type RoundTrips = Pick<SessionStats, 'rttLastMs' | 'rttP50Ms' | 'rttP99Ms' | 'rttSamples' | 'frameStages' | 'clockOffsetMs'>;

/**
 * Requests and frames in flight to the edge, each matched with its answer: a request by its numeric `id`,
 * a frame by node and per-node `seq`. Keeps the frame counters and round-trip times the stats report.
 */
export class EdgeRequests {
  private readonly route: RequestRoute;
  private readonly timeoutMs: number;
  private readonly requests = new PendingRequests<number, unknown>();
  /** Keyed `nodeId:seq`; the meta is when the frame was sent, for its round trip. */
  private readonly frames = new PendingRequests<string, unknown[], { sentAt: number }>();
  private readonly seqs = new Map<string, number>();
  /** Per node: frames go out in call order, and their outputs are handed back in it. */
  private readonly sendTurns = new OrderedTurns();
  private readonly handTurns = new OrderedTurns();
  private readonly rtt = new RoundTripStats();
  private readonly timings = new FrameTimings();
  private readonly counters: FrameCounters = {
    framesSent: 0,
    framesReceived: 0,
    framesDroppedByEdge: 0,
    framesSkippedByDeadline: 0,
    framesFailed: 0,
    framesLost: 0,
  };
  /** The edge's clock, as measured from `welcome` and `pong`: frames are stamped with their capture time on it. */
  readonly clock = new EdgeClock();
  private nextRequestId = 1;
  private nextPingId = 1;

  constructor(
    route: RequestRoute,
    timeoutMs: number,
    private readonly video: VideoWire,
  ) {
    this.route = route;
    this.timeoutMs = timeoutMs;
  }

  /** Sends a request and resolves with the value of its reply. */
  async request(body: RequestBody, how: RequestHow = {}): Promise<unknown> {
    this.route.assertUsable(how.internal);
    const id = this.nextRequestId++;
    const reply = this.requests.wait(id, { timeoutMs: this.timeoutMs, what: `"${body.type}" request` });
    try {
      await this.route.send({ ...body, id } as Unversioned<RequestMessage>);
    } catch (error) {
      this.requests.reject(id, error);
    }
    return reply;
  }

  /** A request on behalf of a node, refused here (typed) when the node was disposed. */
  async requestFor(node: NodeRef, body: RequestBody): Promise<unknown> {
    this.assertNodeUsable(node);
    return this.request(body);
  }

  /**
   * Sends one item through a node; resolves with what the node produced for it. Video is compressed on the way
   * out and decompressed on the way back as the session's video options say (the caller sees raw pixels).
   * `capturedAt` (this machine's clock, ms since the epoch; default now) is sent on the edge's clock, for the
   * edge's deadline.
   */
  async sendFrame(node: NodeRef, item: unknown, capturedAt = EdgeClock.now()): Promise<unknown[]> {
    this.assertNodeUsable(node);
    const started = now();
    // Frames for a node leave, and their outputs come back, in the order they were given here, though their
    // compression and decompression (in a codec worker) may finish in another order: an older frame answered
    // after a newer one would be of no use to live media.
    const sending = this.sendTurns.take(node.nodeId);
    const handing = this.handTurns.take(node.nodeId);
    try {
      let result: Promise<unknown[]>;
      let wire: WireFrame;
      try {
        wire = await this.video.outgoing(item);
        await sending.ready;
        if (wire.encodeMs !== undefined) this.timings.add('encode', wire.encodeMs);
        this.assertNodeUsable(node);
        this.assertFrameFits(wire.item);
        // Numbered in turn, once compressed, so frames leave in `seq` order.
        const seq = (this.seqs.get(node.nodeId) ?? 0) + 1;
        this.seqs.set(node.nodeId, seq);
        const key = frameKey(node.nodeId, seq);
        result = this.frames.wait(key, { timeoutMs: this.timeoutMs, what: `frame ${seq} for ${node.name}`, meta: { sentAt: now() } });
        this.counters.framesSent++;
        const message = { type: 'frame' as const, nodeId: node.nodeId, seq, item: wire.item, capturedAt: this.clock.toEdge(capturedAt) };
        try {
          await this.route.send(wire.outputEncoding === undefined ? message : { ...message, outputEncoding: wire.outputEncoding }, 'media');
        } catch (error) {
          this.frames.reject(key, error);
        }
      } finally {
        sending.end();
      }
      const outputs = await this.video.incoming(await result);
      await handing.ready;
      if (outputs.decodeMs !== undefined) this.timings.add('decode', outputs.decodeMs);
      if (wire.outputEncoding !== undefined) this.video.observe(now() - started);
      return outputs.items;
    } finally {
      handing.end();
    }
  }

  reply(message: ReplyMessage): void {
    this.requests.resolve(message.id, message.value);
  }

  output(message: OutputMessage): void {
    const key = frameKey(message.nodeId, message.seq);
    const sent = this.frames.meta(key);
    if (sent) {
      const roundTripMs = now() - sent.sentAt;
      this.rtt.add(roundTripMs);
      this.timings.frame(roundTripMs, message.timing);
    }
    if (this.frames.resolve(key, [...message.items])) this.counters.framesReceived++;
  }

  /** A frame the edge did not process: skipped for its age (FRAME_EXPIRED) or dropped (FRAME_DROPPED), counted apart. */
  dropped(message: DroppedMessage): void {
    const late = message.cause === 'deadline';
    if (late) this.counters.framesSkippedByDeadline++;
    else this.counters.framesDroppedByEdge++;
    this.frames.reject(
      frameKey(message.nodeId, message.seq),
      late
        ? new RemoteMediaError(ErrorCode.FrameExpired, `frame ${message.seq} was skipped by the edge: ${message.reason}`, { retryable: true })
        : new RemoteMediaError(ErrorCode.FrameDropped, `frame ${message.seq} was dropped by the edge: ${message.reason}`, { retryable: true }),
    );
  }

  /** Asks the edge for its clock (the pong is a clock sample). Best effort: a ping lost to a reconnect is no loss. */
  ping(): void {
    void this.route.send({ type: 'ping', id: this.nextPingId++, t: EdgeClock.now() }).catch(() => undefined);
  }

  pong(message: PongMessage): void {
    this.clock.sample(message.t, message.edgeTime, EdgeClock.now());
  }

  /** Fails the request or frame an edge error names; false when it names neither (a session-level error). */
  failed(where: { id?: number; nodeId?: string; seq?: number }, error: RemoteError): boolean {
    if (where.id !== undefined && this.requests.reject(where.id, error)) return true;
    if (where.nodeId !== undefined && where.seq !== undefined) {
      this.counters.framesFailed++;
      return this.frames.reject(frameKey(where.nodeId, where.seq), error);
    }
    return false;
  }

  /** Fails everything in flight with `error`; `lost` counts the frames as lost to a dropped connection. */
  rejectAll(error: RemoteMediaError, how: { lost: boolean }): void {
    if (how.lost) this.counters.framesLost += this.frames.size;
    this.requests.rejectAll(error);
    this.frames.rejectAll(error);
  }

  stats(): FrameCounters & RoundTrips {
    return {
      ...this.counters,
      rttLastMs: this.rtt.last,
      rttP50Ms: this.rtt.percentile(50),
      rttP99Ms: this.rtt.percentile(99),
      rttSamples: this.rtt.size,
      frameStages: this.timings.summary(),
      clockOffsetMs: this.clock.offsetMs,
    };
  }

  private assertNodeUsable(node: NodeRef): void {
    this.route.assertUsable();
    if (node.disposed) throw new RemoteMediaError(ErrorCode.Disposed, `node "${node.name}" was disposed`);
  }

  /** Refuses here, typed, a frame the edge would refuse after it crossed the wire. */
  private assertFrameFits(item: unknown): void {
    const limit = this.route.welcome?.limits.maxFrameBytes;
    if (limit === undefined || typeof item !== 'object' || item === null) return;
    const payload = (item as { data?: unknown; samples?: unknown }).data ?? (item as { samples?: unknown }).samples;
    if (ArrayBuffer.isView(payload) && payload.byteLength > limit) {
      throw new RemoteMediaError(
        ErrorCode.FrameTooLarge,
        `the frame is ${payload.byteLength} bytes; this edge accepts frames up to ${limit} bytes (lower the resolution)`,
      );
    }
  }
}

function frameKey(nodeId: string, seq: number): string {
  return `${nodeId}:${seq}`;
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
