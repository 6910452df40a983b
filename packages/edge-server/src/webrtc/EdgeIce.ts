import { createSocket } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import { ErrorCode, RemoteMediaError, type IceServer } from '@remotemedia/shared';
import type { PeerOptions } from '@remotemedia/shared/node';

/** The ICE settings as the operator gave them (see config/settings.ts). */
export interface IceSettings {
  /** IPv4 address the ICE UDP sockets bind to; unset: follow the HTTP host. */
  listenIp?: string;
  /** Address the SDP answer advertises instead of the listen address (an edge behind NAT). */
  announcedIp?: string;
  portRange?: [number, number];
  /** Handed to clients in `welcome`; the edge's own peer uses none. */
  iceServers?: readonly IceServer[];
}

/** How every session's peer is built, fixed when the edge starts listening. */
export interface EdgeIce {
  /** Where the sockets are bound, for the start-up log. */
  readonly listenIp: string;
  readonly peer: PeerOptions;
  readonly iceServers: readonly IceServer[];
}

/**
 * Resolves the ICE settings against the address the HTTP server really bound (`boundHost`), so that by
 * default WebRTC is exactly as reachable as signaling: 127.0.0.1 in, 127.0.0.1 out. Checks the listen
 * address can be bound, so a typo fails at start with a message naming the setting, not at the first client.
 */
export async function resolveEdgeIce(settings: IceSettings, boundHost: string): Promise<EdgeIce> {
  const listenIp = settings.listenIp ?? followHost(boundHost);
  await assertBindable(listenIp, settings.listenIp === undefined ? `iceListenIp (unset, so it follows host ${boundHost})` : 'iceListenIp');
  let hostAddresses: string[];
  let interfaces: boolean;
  if (settings.announcedIp !== undefined) {
    // Behind NAT the local addresses are useless to clients; like mediasoup's announcedIp, offer only the public one.
    hostAddresses = [settings.announcedIp];
    interfaces = false;
  } else if (listenIp === '0.0.0.0') {
    // Listening everywhere: every interface address, and loopback for clients on this machine.
    hostAddresses = ['127.0.0.1'];
    interfaces = true;
  } else {
    hostAddresses = [listenIp];
    interfaces = false;
  }
  return {
    listenIp,
    peer: { hostAddresses, interfaces, bindAddress: listenIp, ...(settings.portRange ? { portRange: settings.portRange } : {}) },
    iceServers: settings.iceServers ?? [],
  };
}

/** The IPv4 twin of the HTTP listen address. The edge's WebRTC is IPv4 only (werift is asked for no IPv6). */
function followHost(boundHost: string): string {
  if (isIPv4(boundHost)) return boundHost;
  if (boundHost === '::') return '0.0.0.0';
  if (boundHost === '::1') return '127.0.0.1';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(boundHost);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  const shown = isIPv6(boundHost) ? `the IPv6 address ${boundHost}` : `"${boundHost}"`;
  throw new RemoteMediaError(
    ErrorCode.InvalidConfig,
    `host is ${shown} and the edge's WebRTC is IPv4 only: set iceListenIp (--ice-listen-ip) to an IPv4 address of this machine, or 0.0.0.0`,
  );
}

function assertBindable(address: string, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      reject(
        new RemoteMediaError(
          ErrorCode.InvalidConfig,
          `${setting}: cannot bind a UDP socket to ${address} (${error.code ?? error.message}); use an address of this machine, or 0.0.0.0`,
        ),
      );
    });
    socket.bind({ address, port: 0 }, () => socket.close(() => resolve()));
  });
}
