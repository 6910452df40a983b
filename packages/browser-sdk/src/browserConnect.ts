import type { IceServer } from '@remotemedia/shared/protocol';
import { loadBrowserVideoCodec } from './codec/WorkerVideoCodec.ts';
import { connect as connectWith, type ConnectOptions } from './connect.ts';
import type { RemoteSession } from './session/RemoteSession.ts';
import { BrowserPeerLink } from './transport/BrowserPeerLink.ts';

/**
 * `connect` for browsers: WebRTC through the page's own RTCPeerConnection. Kept apart from `connect.ts` so the
 * Node entry never loads, or type-checks against, DOM-only code.
 */
export function connect(url: string | readonly string[], options: ConnectOptions = {}): Promise<RemoteSession> {
  return connectWith(url, {
    peerLink: (config) => new BrowserPeerLink({ iceServers: toRtcIceServers(config.iceServers) }),
    videoCodec: loadBrowserVideoCodec,
    ...options,
  });
}

/** The edge's list as the browser's RTCConfiguration wants it (mutable arrays). */
function toRtcIceServers(servers: readonly IceServer[]): RTCIceServer[] {
  return servers.map((server) => ({ ...server, urls: typeof server.urls === 'string' ? server.urls : [...server.urls] }));
}
