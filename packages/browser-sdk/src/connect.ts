import { ErrorCode, ProtocolChannel, RemoteMediaError, WebSocketChannel, parseEdgeMessage, type WebSocketLike } from '@remotemedia/shared';
import { RemoteSession } from './session/RemoteSession.ts';
import type { ClientChannel, ReconnectOptions, SessionLink } from './session/SessionLink.ts';
import type { PeerLinkFactory } from './transport/PeerLink.ts';
import type { ModuleSupport } from './remote/ModuleSupport.ts';
import { browserModuleSupport } from './remote/browserModuleSupport.ts';
import type { VideoFrameCodecLoader } from './session/VideoFrameCodec.ts';
import type { VideoOptions } from './session/VideoWire.ts';

export interface ConnectOptions {
  /**
   * `auto` (default): WebRTC data channel, falling back to the WebSocket if it cannot connect.
   * `datachannel`: fail rather than fall back. `websocket`: never try WebRTC.
   */
  transport?: 'auto' | 'datachannel' | 'websocket';
  /** WebSocket implementation; defaults to the global one (Node 20 has none: use the `/node` entry). */
  WebSocket?: new (
    url: string,
  ) => WebSocketLike;
  /** Creates the WebRTC side, given the edge's STUN/TURN servers; each entry supplies its own (the browser's RTCPeerConnection, werift in Node). */
  peerLink?: PeerLinkFactory;
  /** Time allowed for the WebSocket and the handshake. */
  connectTimeoutMs?: number;
  /** Time allowed for the data channel to open before falling back. */
  dataChannelTimeoutMs?: number;
  /** Time allowed for each request and frame reply. */
  requestTimeoutMs?: number;
  /**
   * The edge's bearer token, when it requires one. Sent as the `token` query parameter of the signaling URL,
   * because a browser WebSocket cannot set an Authorization header.
   */
  authToken?: string;
  /** A token from an earlier session (`session.resumeToken`) to reattach to it and its nodes. */
  resumeToken?: string;
  /** Automatic reconnect with backoff and session resume when the connection drops (default on); `false` turns it off. */
  reconnect?: ReconnectOptions | false;
  /** How `session.remote(Class)` finds and packs a class's module (default: fetch from the page's server). */
  modules?: ModuleSupport;
  /**
   * Frame deadline for the session's nodes, ms from capture: the edge skips an older frame before the node and
   * rejects it with FRAME_EXPIRED (0: never). A node's own `deadlineMs` wins; default: the edge's setting.
   */
  frameDeadlineMs?: number;
  /**
   * How video frames travel. Default: JPEG (quality 0.8) over the data channel, raw over the WebSocket, with the
   * quality stepped down (JPEG quality, then resolution) while round trips stay over 100 ms. See VideoOptions.
   */
  video?: VideoOptions;
  /** The runtime's video codec; each entry supplies its own (a Worker in browsers, the edge's library in Node). */
  videoCodec?: VideoFrameCodecLoader;
}

/** `http://host:port` (the edge's page URL) or `ws://host:port/signal` -> the signaling URL. */
export function signalingUrl(url: string): string {
  const parsed = new URL(url, (globalThis as { location?: { href: string } }).location?.href);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (!parsed.pathname.endsWith('/signal')) parsed.pathname = `${parsed.pathname.replace(/\/$/, '')}/signal`;
  return parsed.toString();
}

/**
 * Opens a session with an edge: WebSocket signaling, then (by default) a WebRTC data channel for traffic.
 * Given a list of edges (a cluster), it uses the first one that answers, and a reconnect tries the others
 * when that one becomes unreachable; an edge may also send the client on to another (`stats().edgeUrl`).
 */
export async function connect(url: string | readonly string[], options: ConnectOptions = {}): Promise<RemoteSession> {
  const edges = typeof url === 'string' ? [url] : [...url];
  if (edges.length === 0 || edges.some((edge) => typeof edge !== 'string' || edge.length === 0)) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, 'connect needs an edge URL, or a non-empty list of them');
  }
  const transport = options.transport ?? 'auto';
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (WebSocketImpl === undefined) {
    throw new RemoteMediaError(
      ErrorCode.ConnectionFailed,
      'no WebSocket implementation: in Node 20 import connect from "@remotemedia/browser-sdk/node"',
    );
  }
  if (transport !== 'websocket' && options.peerLink === undefined) {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `transport '${transport}' needs a peerLink: import connect from "@remotemedia/browser-sdk" (browsers) or "@remotemedia/browser-sdk/node"`,
    );
  }
  const link: SessionLink = {
    edges,
    async openSignaling(edge: string): Promise<ClientChannel> {
      const shown = signalingUrl(edge);
      // Error messages name `shown`, never the URL with the token: it must not end up in a page's logs.
      const socket = new WebSocketImpl(withAuthToken(shown, options.authToken));
      await openSocket(socket, shown, connectTimeoutMs);
      return new ProtocolChannel(new WebSocketChannel(socket), { parse: parseEdgeMessage });
    },
    createPeer: transport === 'websocket' ? undefined : options.peerLink,
    requireDataChannel: transport === 'datachannel',
    connectTimeoutMs,
    dataChannelTimeoutMs: options.dataChannelTimeoutMs ?? 5_000,
  };
  return RemoteSession.open(link, {
    requestTimeoutMs: options.requestTimeoutMs,
    reconnect: options.reconnect,
    resumeToken: options.resumeToken,
    modules: options.modules ?? browserModuleSupport(),
    frameDeadlineMs: options.frameDeadlineMs,
    video: options.video,
    videoCodec: options.videoCodec,
  });
}

function withAuthToken(url: string, token: string | undefined): string {
  if (token === undefined) return url;
  const parsed = new URL(url);
  parsed.searchParams.set('token', token);
  return parsed.toString();
}

function openSocket(socket: WebSocketLike, url: string, timeoutMs: number): Promise<void> {
  const target = socket as WebSocketLike & { addEventListener(type: string, listener: (event: unknown) => void): void };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new RemoteMediaError(ErrorCode.ConnectionFailed, `could not reach the edge at ${url} within ${timeoutMs} ms`, { retryable: true }));
    }, timeoutMs);
    target.addEventListener('open', () => {
      clearTimeout(timer);
      resolve();
    });
    target.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new RemoteMediaError(ErrorCode.ConnectionFailed, `could not connect to the edge at ${url}`, { retryable: true }));
    });
  });
}
