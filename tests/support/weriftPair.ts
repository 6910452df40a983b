import { enlargeSocketBuffers, gatheringComplete } from '@remotemedia/shared/node';
import * as installedWerift from 'werift';
import type { RTCDataChannel, RTCPeerConnection } from 'werift';
import type { LossyUdpRelay, UdpEndpoint } from './lossyUdpRelay.ts';

/** The werift module to build peers from: the installed (patched) one, or a pristine copy loaded by URL. */
export type WeriftModule = Pick<typeof installedWerift, 'RTCPeerConnection'>;

/** Chromium's cap on a data-channel message; werift's own default is 64 KiB. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** A werift peer like the project's (no STUN, loopback offered) that accepts messages up to 256 KiB. */
export function createTestPeer(werift: WeriftModule = installedWerift): RTCPeerConnection {
  return new werift.RTCPeerConnection({
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceUseIpv6: false,
    maxMessageSize: MAX_MESSAGE_BYTES,
  });
}

/**
 * werift falls back to a public STUN server when given none; a test peer must not send anything off this
 * machine, so the fallback is cleared on each ICE transport before gathering starts.
 */
function clearStunServer(peer: RTCPeerConnection): void {
  for (const transport of peer.iceTransports) (transport.connection as { stunServer?: unknown }).stunServer = undefined;
}

/** Creates and sets the offer; resolves with its SDP once every candidate is gathered. */
export async function createOfferSdp(peer: RTCPeerConnection): Promise<string> {
  const offer = await peer.createOffer();
  clearStunServer(peer);
  await peer.setLocalDescription(offer);
  return completeLocalSdp(peer);
}

/** Takes an offer and resolves with the answer's SDP once every candidate is gathered. */
export async function createAnswerSdp(peer: RTCPeerConnection, offerSdp: string): Promise<string> {
  await peer.setRemoteDescription({ type: 'offer', sdp: offerSdp });
  clearStunServer(peer);
  await peer.setLocalDescription(await peer.createAnswer());
  return completeLocalSdp(peer);
}

async function completeLocalSdp(peer: RTCPeerConnection): Promise<string> {
  await gatheringComplete(peer);
  enlargeSocketBuffers(peer);
  const sdp = peer.localDescription?.sdp;
  if (sdp === undefined) throw new Error('werift produced no local description');
  return sdp;
}

/**
 * Keeps only the SDP's UDP candidate on 127.0.0.1 and points it at `relayPort`, so the other peer can
 * reach this one only through the relay. Returns the rewritten SDP and where this peer really listens.
 */
export function routeThroughRelay(sdp: string, relayPort: number): { sdp: string; endpoint: UdpEndpoint } {
  let endpoint: UdpEndpoint | undefined;
  const lines = sdp.split('\r\n').filter((line) => {
    if (!line.startsWith('a=candidate:')) return true;
    const [, , protocol, , address, port] = line.split(' ');
    if (protocol?.toLowerCase() !== 'udp' || address !== '127.0.0.1' || endpoint !== undefined) return false;
    endpoint = { address, port: Number(port) };
    return true;
  });
  if (endpoint === undefined) throw new Error('the SDP has no UDP candidate on 127.0.0.1');
  const realPort = endpoint.port;
  const rewritten = lines.map((line) =>
    line.startsWith('a=candidate:') ? line.replace(` 127.0.0.1 ${realPort} `, ` 127.0.0.1 ${relayPort} `) : line,
  );
  return { sdp: rewritten.join('\r\n'), endpoint };
}

export interface WeriftPair {
  offerer: RTCPeerConnection;
  answerer: RTCPeerConnection;
  /** The offerer's end of the one ordered, reliable channel. */
  offererChannel: RTCDataChannel;
  answererChannel: RTCDataChannel;
  close(): Promise<void>;
}

export interface WeriftPairOptions {
  /** Route every datagram through this relay (which may drop some). */
  relay?: LossyUdpRelay;
  /** Called once both peers exist, before they connect (e.g. to set SCTP state). */
  beforeConnect?: (offerer: RTCPeerConnection, answerer: RTCPeerConnection) => void;
}

/** Two werift peers in this process joined by one data channel, directly or through a relay. */
export async function connectWeriftPair(options: WeriftPairOptions = {}): Promise<WeriftPair> {
  const offerer = createTestPeer();
  const answerer = createTestPeer();
  const offererChannel = offerer.createDataChannel('test', { ordered: true });
  const opened = new Promise<void>((resolve) => offererChannel.stateChanged.subscribe((state) => state === 'open' && resolve()));
  const answered = new Promise<RTCDataChannel>((resolve) => answerer.onDataChannel.subscribe(resolve));
  let offerSdp = await createOfferSdp(offerer);
  const { relay } = options;
  let offererEndpoint: UdpEndpoint | undefined;
  if (relay !== undefined) ({ sdp: offerSdp, endpoint: offererEndpoint } = routeThroughRelay(offerSdp, relay.portForB));
  let answerSdp = await createAnswerSdp(answerer, offerSdp);
  if (relay !== undefined) {
    const routed = routeThroughRelay(answerSdp, relay.portForA);
    answerSdp = routed.sdp;
    relay.connect(offererEndpoint!, routed.endpoint);
  }
  options.beforeConnect?.(offerer, answerer);
  await offerer.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  const [answererChannel] = await Promise.all([answered, opened]);
  return {
    offerer,
    answerer,
    offererChannel,
    answererChannel,
    close: async () => {
      await Promise.allSettled([offerer.close(), answerer.close()]);
    },
  };
}
