import { ErrorCode, ProtocolChannel, RemoteMediaError, WebSocketChannel, parseEdgeMessage, type WebSocketLike } from '@remotemedia/shared';
import { RemoteSession, type ClientChannel } from './session/RemoteSession.ts';
import type { PeerLinkFactory } from './transport/PeerLink.ts';
import { BrowserPeerLink } from './transport/BrowserPeerLink.ts';

export interface ConnectOptions {
  /**
   * `auto` (default): WebRTC data channel, falling back to the WebSocket if it cannot connect.
   * `datachannel`: fail rather than fall back. `websocket`: never try WebRTC.
   */
  transport?: 'auto' | 'datachannel' | 'websocket';
  /** WebSocket implementation; defaults to the global one (Node 20 has none: use the `/node` entry). */
  WebSocket?: new (url: string) => WebSocketLike;
  /** Creates the WebRTC side; defaults to the browser's RTCPeerConnection. */
  peerLink?: PeerLinkFactory;
  /** Time allowed for the WebSocket and the handshake. */
  connectTimeoutMs?: number;
  /** Time allowed for the data channel to open before falling back. */
  dataChannelTimeoutMs?: number;
  /** Time allowed for each request and frame reply. */
  requestTimeoutMs?: number;
}

/** `http://host:port` (the edge's page URL) or `ws://host:port/signal` -> the signaling URL. */
export function signalingUrl(url: string): string {
  const parsed = new URL(url, globalThis.location?.href);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (!parsed.pathname.endsWith('/signal')) parsed.pathname = `${parsed.pathname.replace(/\/$/, '')}/signal`;
  return parsed.toString();
}

/** Opens a session with an edge: WebSocket signaling, then (by default) a WebRTC data channel for traffic. */
export async function connect(url: string, options: ConnectOptions = {}): Promise<RemoteSession> {
  const transport = options.transport ?? 'auto';
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (WebSocketImpl === undefined) {
    throw new RemoteMediaError(ErrorCode.ConnectionFailed, 'no WebSocket implementation: in Node 20 import connect from "@remotemedia/browser-sdk/node"');
  }
  const target = signalingUrl(url);
  const socket = new WebSocketImpl(target);
  await openSocket(socket, target, connectTimeoutMs);
  const signaling: ClientChannel = new ProtocolChannel(new WebSocketChannel(socket), { parse: parseEdgeMessage });
  const session = new RemoteSession(signaling, { requestTimeoutMs: options.requestTimeoutMs });
  try {
    await session.handshake(connectTimeoutMs);
    if (transport !== 'websocket') {
      const createPeer = options.peerLink ?? (() => new BrowserPeerLink());
      try {
        await session.upgradeToDataChannel(createPeer(), options.dataChannelTimeoutMs ?? 5_000);
      } catch (error) {
        if (transport === 'datachannel') throw error;
        session.fallbackReason = `WebRTC unavailable (${(error as Error).message}); using the WebSocket`;
      }
    }
    return session;
  } catch (error) {
    session.close();
    throw error;
  }
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
