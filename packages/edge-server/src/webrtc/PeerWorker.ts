// Worker-thread entry that owns a shard of the sessions' werift peers: their ICE, DTLS, SCTP and UDP work
// (15-23 ms of CPU per 115 KB frame, measured on the main thread before) runs here, so signaling and the
// sessions of other workers never wait on one session's packets. Chunks are split and reassembled here too:
// the main thread gets whole messages within the session's limits.
import type { Socket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { ErrorCode, RemoteMediaError, toErrorPayload } from '@remotemedia/shared/errors';
import {
  createPeer,
  dropDefaultStun,
  enlargeSocketBuffers,
  gatheringComplete,
  pathStaysOnThisMachine,
  supportsLargeSctpChunks,
  useLargeSctpChunks,
  type PeerOptions,
} from '@remotemedia/shared/node';
import { MessageIdSequence, Reassembler, splitMessage } from '@remotemedia/shared/transport';
import type { RTCDataChannel, RTCPeerConnection } from 'werift';
import { keepIpCandidates } from './keepIpCandidates.ts';
import type { HostToPeerWorker, PeerWorkerData, PeerWorkerToHost } from './peerWorkerProtocol.ts';

interface HostedPeer {
  readonly connection: RTCPeerConnection;
  channel: RTCDataChannel | undefined;
  readonly reassembler: Reassembler;
  readonly ids: MessageIdSequence;
  /** Payload bytes taken from the host so far (see the `flow` message). */
  handed: number;
  /** SCTP chunk size agreed with a werift client; used once the channel opens over a path on this machine. */
  largeChunks: number | undefined;
  closed: boolean;
}

const { limits, lowWatermark } = workerData as PeerWorkerData;
let peerOptions: PeerOptions = {};
const port = parentPort!;
const peers = new Map<number, HostedPeer>();

function post(message: PeerWorkerToHost, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

async function open(peerId: number, offer: string, largeChunks: number | undefined): Promise<void> {
  const connection = createPeer(peerOptions);
  const hosted: HostedPeer = {
    connection,
    channel: undefined,
    reassembler: new Reassembler(limits),
    ids: new MessageIdSequence(),
    handed: 0,
    largeChunks: undefined,
    closed: false,
  };
  peers.set(peerId, hosted);
  try {
    const sdp = await answer(peerId, hosted, offer);
    // Only for a client that asked (a werift peer): toward a browser the association keeps 1,200-byte chunks.
    if (largeChunks !== undefined && supportsLargeSctpChunks(hosted.connection)) hosted.largeChunks = largeChunks;
    post({ type: 'answer', peerId, sdp, ...(hosted.largeChunks !== undefined ? { sctpChunkBytes: hosted.largeChunks } : {}) });
  } catch (error) {
    close(peerId);
    post({ type: 'failed', peerId, error: toErrorPayload(error) });
  }
}

async function answer(peerId: number, hosted: HostedPeer, offer: string): Promise<string> {
  const { connection } = hosted;
  connection.onDataChannel.subscribe((channel) => {
    const attach = (): void => {
      if (hosted.closed || hosted.channel !== undefined) return;
      hosted.channel = channel;
      if (hosted.largeChunks !== undefined && pathStaysOnThisMachine(connection)) useLargeSctpChunks(connection, hosted.largeChunks);
      listen(peerId, hosted, channel);
      post({ type: 'channel-open', peerId });
    };
    if (channel.readyState === 'open') attach();
    else channel.stateChanged.subscribe((state) => state === 'open' && attach());
  });
  connection.connectionStateChange.subscribe((state) => {
    if (state === 'failed' || state === 'closed') post({ type: 'peer-state', peerId, state });
  });
  await connection.setRemoteDescription({ type: 'offer', sdp: keepIpCandidates(offer) });
  dropDefaultStun(connection);
  await connection.setLocalDescription(await connection.createAnswer());
  await gatheringComplete(connection);
  enlargeSocketBuffers(connection);
  guardSockets(peerId, connection);
  const sdp = connection.localDescription?.sdp;
  if (sdp === undefined) throw new RemoteMediaError(ErrorCode.ConnectionFailed, 'the edge could not create an SDP answer');
  if (!/^a=candidate:/m.test(sdp)) {
    // werift skips a candidate whose socket it cannot bind: with a port range, every port is taken.
    const range = peerOptions.portRange;
    throw new RemoteMediaError(
      ErrorCode.ConnectionFailed,
      `the edge has no free UDP port for WebRTC${range ? ` (its ICE port range ${range[0]}-${range[1]} is in use)` : ''}; stay on the WebSocket or retry later`,
      { retryable: true },
    );
  }
  return sdp;
}

/**
 * werift listens for no `error` on its UDP sockets, and an unheard socket error ends the thread: one
 * session's socket fault would cost every session of this worker. It costs this peer only.
 */
function guardSockets(peerId: number, connection: RTCPeerConnection): void {
  for (const transport of connection.iceTransports) {
    const protocols = (transport.connection as unknown as { protocols?: Array<{ transport?: { socket?: Socket } }> }).protocols ?? [];
    for (const protocol of protocols) {
      protocol.transport?.socket?.on('error', (error) => {
        post({ type: 'peer-state', peerId, state: `failed: UDP socket error (${error.message})` });
        close(peerId);
        post({ type: 'channel-closed', peerId, reason: `UDP socket error: ${error.message}` });
      });
    }
  }
}

function listen(peerId: number, hosted: HostedPeer, channel: RTCDataChannel): void {
  channel.bufferedAmountLowThreshold = lowWatermark;
  channel.bufferedAmountLow.subscribe(() => report(peerId, hosted));
  channel.onMessage.subscribe((data) => {
    if (hosted.closed) return;
    // The protocol is binary only: a text message is malformed.
    const chunk = typeof data === 'string' ? new Uint8Array(0) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let payload: Uint8Array | undefined;
    try {
      payload = hosted.reassembler.push(chunk);
    } catch (error) {
      post({ type: 'invalid', peerId, error: toErrorPayload(error) });
      return;
    }
    if (payload === undefined) return;
    // A one-chunk message is a view of werift's packet buffer: give the host a buffer of its own to take over.
    const whole = payload.byteOffset === 0 && payload.byteLength === payload.buffer.byteLength ? payload : payload.slice();
    post({ type: 'message', peerId, payload: whole }, [whole.buffer as ArrayBuffer]);
  });
  channel.stateChanged.subscribe((state) => {
    if (state === 'closed') {
      hosted.reassembler.clear();
      post({ type: 'channel-closed', peerId, reason: 'data channel closed' });
    }
  });
}

function send(peerId: number, payload: Uint8Array): void {
  const hosted = peers.get(peerId);
  if (hosted === undefined || hosted.closed) return;
  hosted.handed += payload.byteLength;
  const channel = hosted.channel;
  if (channel === undefined || channel.readyState !== 'open') return;
  try {
    for (const chunk of splitMessage(hosted.ids.next(), payload, limits.maxChunkBytes)) {
      // werift wants a Buffer; this one is a view over the chunk, not a copy.
      channel.send(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  } catch {
    // The channel is closing: its close event tells the host, which fails what it still had queued.
  }
  // Below the low watermark werift fires no bufferedamountlow (it only fires on the way down): say so now.
  if (channel.bufferedAmount <= lowWatermark) report(peerId, hosted);
}

function report(peerId: number, hosted: HostedPeer): void {
  post({ type: 'flow', peerId, handed: hosted.handed, buffered: hosted.channel?.bufferedAmount ?? 0 });
}

function closeChannel(peerId: number): void {
  try {
    peers.get(peerId)?.channel?.close();
  } catch {
    // Already closing: its close event tells the host.
  }
}

function close(peerId: number): void {
  const hosted = peers.get(peerId);
  if (hosted === undefined) return;
  peers.delete(peerId);
  hosted.closed = true;
  hosted.reassembler.clear();
  try {
    hosted.channel?.close();
  } catch {
    // A channel of a half-open peer can throw on close; the peer below goes either way.
  }
  hosted.connection.close().catch(() => undefined);
}

port.on('message', (message: HostToPeerWorker) => {
  switch (message.type) {
    case 'configure':
      peerOptions = message.peer;
      return;
    case 'open':
      void open(message.peerId, message.offer, message.sctpChunkBytes);
      return;
    case 'send':
      send(message.peerId, message.payload);
      return;
    case 'close-channel':
      closeChannel(message.peerId);
      return;
    case 'close':
      close(message.peerId);
      return;
  }
});
post({ type: 'ready' });
