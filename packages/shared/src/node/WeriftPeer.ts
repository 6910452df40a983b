import { RTCPeerConnection } from 'werift';
import type { IceServer } from '../protocol/messages.ts';

export interface PeerOptions {
  /**
   * Host candidate addresses to offer. With `interfaces` (the default) they are offered besides the machine's
   * IPv4 interface addresses; werift leaves loopback out of those, hence the default `['127.0.0.1']`.
   */
  hostAddresses?: string[];
  /** Also offer every IPv4 interface address of the machine (werift's own gathering). Default true. */
  interfaces?: boolean;
  /** IPv4 address every ICE UDP socket binds to; unset (or 0.0.0.0): all interfaces. */
  bindAddress?: string;
  /** Ports the ICE UDP sockets may take, inclusive; werift needs min < max. Unset: any free port. */
  portRange?: [number, number];
  /** STUN/TURN servers; without a STUN URL no STUN server is used (see dropDefaultStun). */
  iceServers?: readonly IceServer[];
}

/**
 * A werift peer, IPv4 only, whose candidates and sockets are exactly what `options` say.
 *
 * werift binds all of a peer's UDP sockets to one address per family (`iceInterfaceAddresses`), whatever
 * address each candidate advertises: a candidate's address is only what the SDP says, the bind address is
 * where the socket really listens. The edge uses that split for an announced address behind NAT.
 */
export function createPeer(options: PeerOptions = {}): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: (options.iceServers ?? []).map((server) => ({
      urls: typeof server.urls === 'string' ? server.urls : [...server.urls],
      ...(server.username !== undefined ? { username: server.username } : {}),
      ...(server.credential !== undefined ? { credential: server.credential } : {}),
    })),
    iceAdditionalHostAddresses: options.hostAddresses ?? ['127.0.0.1'],
    // werift enumerates interfaces only for the families it is asked to; with IPv4 off too, it offers
    // nothing but `iceAdditionalHostAddresses`.
    iceUseIpv4: options.interfaces ?? true,
    iceUseIpv6: false,
    iceInterfaceAddresses: options.bindAddress !== undefined ? { udp4: options.bindAddress } : undefined,
    icePortRange: options.portRange,
  });
}

/**
 * Call after the transports exist (after setRemoteDescription / createDataChannel) and before gathering.
 *
 * werift substitutes a public STUN server when none is configured (its ICE Connection defaults
 * `stunServer`), which means a DNS lookup and packets leaving the machine on every connection. A peer with no
 * STUN server configured must use none, so the substitute is cleared on each ICE transport.
 */
export function dropDefaultStun(peer: RTCPeerConnection): void {
  for (const transport of peer.iceTransports) {
    const connection = transport.connection as { stunServer?: unknown; options: { stunServer?: unknown } };
    if (connection.options.stunServer === undefined) connection.stunServer = undefined;
  }
}

/** Resolves once ICE gathering is complete, so the SDP we send carries every candidate (no trickle). */
export async function gatheringComplete(peer: RTCPeerConnection, timeoutMs = 5000): Promise<void> {
  if (peer.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      subscription.unSubscribe();
      resolve();
    }, timeoutMs);
    const subscription = peer.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') {
        clearTimeout(timer);
        subscription.unSubscribe();
        resolve();
      }
    });
  });
}

interface DgramLike {
  setRecvBufferSize(size: number): void;
  setSendBufferSize(size: number): void;
}

/**
 * Raises the UDP socket buffers of every gathered candidate. With the kernel default, bursts of SCTP
 * packets (a 300 KB frame is ~250 datagrams) overflow the receive buffer, and werift's 1 s minimum
 * retransmission timeout turns each overflow into a one-second stall (measured between two werift processes
 * on loopback: p99 1,047 ms with the defaults, 30 ms with 4 MiB buffers). The kernel caps the size at
 * net.core.rmem_max / wmem_max.
 */
export function enlargeSocketBuffers(peer: RTCPeerConnection, bytes = 4 * 1024 * 1024): void {
  for (const transport of peer.iceTransports) {
    const protocols = (transport.connection as unknown as { protocols?: Array<{ transport?: { socket?: DgramLike } }> }).protocols ?? [];
    for (const protocol of protocols) {
      const socket = protocol.transport?.socket;
      if (socket === undefined) continue;
      try {
        socket.setRecvBufferSize(bytes);
        socket.setSendBufferSize(bytes);
      } catch {
        // A socket that is not bound yet or a kernel that refuses the size keeps its default: slower, still correct.
      }
    }
  }
}
