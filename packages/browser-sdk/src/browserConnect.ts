import { connect as connectWith, type ConnectOptions } from './connect.ts';
import type { RemoteSession } from './session/RemoteSession.ts';
import { BrowserPeerLink } from './transport/BrowserPeerLink.ts';

/**
 * `connect` for browsers: WebRTC through the page's own RTCPeerConnection. Kept apart from `connect.ts` so the
 * Node entry never loads, or type-checks against, DOM-only code.
 */
export function connect(url: string, options: ConnectOptions = {}): Promise<RemoteSession> {
  return connectWith(url, { peerLink: () => new BrowserPeerLink(), ...options });
}
