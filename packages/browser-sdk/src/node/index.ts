// The SDK for Node 20: the portable API, with `ws` for the WebSocket and werift for WebRTC. No DOM-only code
// (capture, rendering, the browser's RTCPeerConnection) is reachable from here.
import { WebSocket } from 'ws';
import type { WebSocketLike } from '@remotemedia/shared';
import { connect as connectAny, type ConnectOptions } from '../connect.ts';
import type { RemoteSession } from '../session/RemoteSession.ts';
import { WeriftPeerLink } from './WeriftPeerLink.ts';
import { nodeModuleSupport } from './nodeModuleSupport.ts';
import { loadNodeVideoCodec } from './nodeVideoCodec.ts';

export * from '../portable.ts';
export { WeriftPeerLink } from './WeriftPeerLink.ts';
export { locateClass } from './locateClass.ts';
export { nodeModuleSupport } from './nodeModuleSupport.ts';
/** The Node SDK's JPEG codec (the edge's library), e.g. to wrap as `connect`'s `videoCodec`. */
export { loadNodeVideoCodec } from './nodeVideoCodec.ts';
export { packFile, FsSourceReader, type PackFileOptions } from './packager/index.ts';
export { runNode, type RunNodeOptions, type RunNodeResult } from './testing/runNode.ts';
export type { ConsoleLine, NodeDriver, RunNodeLimits, SandboxNodeRequest, SandboxTesting } from './testing/NodeDriver.ts';

/** `connect` for Node: WebRTC through werift, WebSocket through `ws`, unless options say otherwise. */
export function connect(url: string | readonly string[], options: ConnectOptions = {}): Promise<RemoteSession> {
  return connectAny(url, {
    WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike,
    peerLink: (config) => new WeriftPeerLink(config.iceServers),
    modules: nodeModuleSupport(),
    videoCodec: loadNodeVideoCodec,
    ...options,
  });
}
