import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, WeriftPeerLink, type PeerLinkConfig } from '@remotemedia/browser-sdk/node';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';
import { loadConfig, resolveEdgeIce } from '@remotemedia/edge-server';
import { packCounter } from '../support/edgeClients.ts';
import { runEdgeCli, startEdge, useEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { rawPeer, type RawPeer } from '../support/rawPeer.ts';
import { startStunResponder, type StunResponder } from '../support/stunResponder.ts';
import { udpSocketsOf } from '../support/udpSockets.ts';

/** Two ports somewhere high, so parallel test files do not meet. */
const MIN_PORT = 40_000 + 2 * Math.floor(Math.random() * 9_000);

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ICE port range', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--ice-min-port', String(MIN_PORT), '--ice-max-port', String(MIN_PORT + 1)]);

  it('takes ports from the range only, says so when it is used up, and frees a port when its client leaves', async () => {
    const inRange = [MIN_PORT, MIN_PORT + 1];
    const clients: RawPeer[] = [];
    try {
      clients.push(await rawPeer(edge.url), await rawPeer(edge.url));
      const advertised = clients.flatMap((client) => client.candidates.map((candidate) => candidate.port));
      expect(advertised.sort()).toEqual(inRange);
      expect(
        udpSocketsOf(edge.process.pid!)
          .map((socket) => socket.port)
          .sort(),
      ).toEqual(inRange);

      const refused = (await rawPeer(edge.url).catch((error: unknown) => error)) as {
        reply?: { type: string; error?: { code: string; message: string } };
      };
      expect(refused.reply?.type).toBe('error');
      expect(refused.reply?.error?.code).toBe(ErrorCode.ConnectionFailed);
      expect(refused.reply?.error?.message).toContain(`ICE port range ${MIN_PORT}-${MIN_PORT + 1} is in use`);
      expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);

      await clients.shift()!.close();
      await until(() => udpSocketsOf(edge.process.pid!).length < 2, 'the edge did not close the departed client’s socket');
      const next = await rawPeer(edge.url);
      clients.push(next);
      expect(inRange).toContain(next.candidates[0]!.port);
      await next.connect();
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});

describe('ICE announced address', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--ice-announced-ip', '203.0.113.7']);

  it('advertises the announced address with the port its loopback socket really has', async () => {
    // Not connected: the client would send its checks to 203.0.113.7, which is not this machine.
    const client = await rawPeer(edge.url);
    try {
      expect(client.candidates.map((candidate) => candidate.address)).toEqual(['203.0.113.7']);
      const sockets = udpSocketsOf(edge.process.pid!);
      expect(sockets).toEqual([{ address: '127.0.0.1', port: client.candidates[0]!.port }]);
    } finally {
      await client.close();
    }
  });
});

describe('ICE servers handed to clients', () => {
  let stun: StunResponder;
  let edge: EdgeProcess;
  const turn = { urls: ['turn:127.0.0.1:3478?transport=udp'], username: 'user', credential: 'secret' };

  beforeAll(async () => {
    stun = await startStunResponder();
    const servers = [{ urls: `stun:127.0.0.1:${stun.port}` }, turn];
    edge = await startEdge(['--sandbox-workers', '1', '--ice-servers', JSON.stringify(servers)]);
  });
  afterAll(async () => {
    await edge?.stop();
    await stun?.close();
  });

  it('lists them in welcome, and the Node SDK’s peer really queries the STUN server it was given', async () => {
    const client = await rawPeer(edge.url);
    await client.close();
    expect(client.welcome.iceServers).toEqual([{ urls: `stun:127.0.0.1:${stun.port}` }, turn]);

    let given: PeerLinkConfig | undefined;
    const session = await connect(edge.url, {
      transport: 'datachannel',
      reconnect: false,
      // Only the STUN server: the TURN entry points at nothing and would only slow gathering down.
      peerLink: (config) => {
        given = config;
        return new WeriftPeerLink(config.iceServers.filter((server) => server.username === undefined));
      },
    });
    try {
      expect(given?.iceServers).toEqual(client.welcome.iceServers);
      expect(stun.requests).toBeGreaterThan(0);
      expect(session.transport).toBe('datachannel');
      const node = await session.deploy(await packCounter());
      expect(await node.call('add', 2)).toBe(2);
    } finally {
      session.close();
    }
  });
});

describe('ICE follows the HTTP host', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--host', '::1']);

  it('an edge on ::1 binds and advertises 127.0.0.1 (WebRTC is IPv4 only)', async () => {
    expect(edge.url).toMatch(/^http:\/\/\[::1\]:/);
    const client = await rawPeer(edge.url);
    try {
      expect(client.candidates.map((candidate) => candidate.address)).toEqual(['127.0.0.1']);
      await client.connect();
      expect(udpSocketsOf(edge.process.pid!).filter((socket) => socket.address !== '127.0.0.1')).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('maps every host to the ICE address it implies, and refuses an IPv6 host it cannot follow', async () => {
    expect((await resolveEdgeIce({}, '127.0.0.1')).peer).toEqual({ hostAddresses: ['127.0.0.1'], interfaces: false, bindAddress: '127.0.0.1' });
    expect((await resolveEdgeIce({}, '::')).peer).toEqual({ hostAddresses: ['127.0.0.1'], interfaces: true, bindAddress: '0.0.0.0' });
    expect((await resolveEdgeIce({ listenIp: '127.0.0.1' }, '::')).peer.bindAddress).toBe('127.0.0.1');
    const refused = await resolveEdgeIce({}, 'fe80::1').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RemoteMediaError);
    expect((refused as RemoteMediaError).code).toBe(ErrorCode.InvalidConfig);
    expect((refused as RemoteMediaError).message).toContain('set iceListenIp (--ice-listen-ip)');
  });
});

describe('ICE settings: bad values', () => {
  it('lists the ICE settings in --help', async () => {
    const { stdout } = await runEdgeCli(['serve', '--help']);
    for (const text of ['--ice-listen-ip', 'REMOTEMEDIA_ICE_ANNOUNCED_IP', '--ice-min-port', '--ice-max-port', '--ice-servers', '[follows --host]']) {
      expect(stdout).toContain(text);
    }
  });

  it('exits 2 naming the setting: malformed, inconsistent, or not an address of this machine', async () => {
    const cases: Array<[string[], string]> = [
      [['--ice-listen-ip', '10.0.0.300'], 'iceListenIp (--ice-listen-ip) must be an IPv4 address such as 192.0.2.10, got "10.0.0.300"'],
      [['--ice-min-port', '41000'], 'iceMinPort and iceMaxPort must both be 0 (any free port) or both set with iceMinPort < iceMaxPort'],
      // Well-formed but not an address of this machine: refused when the edge starts, before any client.
      [['--ice-listen-ip', '203.0.113.5'], 'iceListenIp: cannot bind a UDP socket to 203.0.113.5 (EADDRNOTAVAIL)'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await runEdgeCli(['serve', '--port', '0', ...args]);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toContain(message);
    }
  });

  it('refuses every other malformed ICE value with a message naming the setting and its source', () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [[], { REMOTEMEDIA_ICE_ANNOUNCED_IP: 'edge.example.com' }, 'iceAnnouncedIp (environment REMOTEMEDIA_ICE_ANNOUNCED_IP) must be an IPv4 address'],
      [['--ice-announced-ip', '0.0.0.0'], {}, 'iceAnnouncedIp must be an address clients can reach'],
      [['--ice-min-port', '41000', '--ice-max-port', '41000'], {}, 'got 41000 and 41000'],
      [['--ice-max-port', '70000'], {}, 'iceMaxPort (--ice-max-port) must be an integer from 0 to 65535, got "70000"'],
      [
        ['--ice-servers', '[{"urls":"http://turn.example.com"}]'],
        {},
        'iceServers (--ice-servers) must be a JSON array of {"urls", "username", "credential"} objects (RTCIceServer): entry 0: urls must be stun:, stuns:, turn: or turns: URLs',
      ],
      [['--ice-servers', '[{"urls":"turn:turn.example.com:3478"}]'], {}, 'entry 0: a turn: or turns: server needs a username and a credential'],
      [
        [],
        { REMOTEMEDIA_ICE_SERVERS: '{"urls":' },
        'iceServers (environment REMOTEMEDIA_ICE_SERVERS) must be a JSON array of {"urls", "username", "credential"} objects (RTCIceServer): it is not valid JSON',
      ],
      [['--ice-servers', JSON.stringify(Array.from({ length: 33 }, () => ({ urls: 'stun:s.example.com' })))], {}, 'it lists 33 servers (at most 32)'],
    ];
    for (const [args, env, message] of cases) {
      expect(() => loadConfig(args, env)).toThrow(message);
    }
    expect(
      loadConfig(['--ice-servers', '[{"urls":["stun:s.example.com","turns:t.example.com:5349?transport=tcp"],"username":"u","credential":"c"}]'], {})
        .iceServers,
    ).toEqual([{ urls: ['stun:s.example.com', 'turns:t.example.com:5349?transport=tcp'], username: 'u', credential: 'c' }]);
  });

  it('never echoes a TURN credential in a refusal', async () => {
    const { code, stderr } = await runEdgeCli([
      'serve',
      '--ice-servers',
      '[{"urls":"turn:t.example.com","username":"u","credential":"hunter2-secret","extra":1}]',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('entry 0: unknown key "extra"');
    expect(stderr).not.toContain('hunter2-secret');
  });
});
