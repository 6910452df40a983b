import { describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';
import { packCounter, rawSignaling, refusedUpgrade } from '../support/edgeClients.ts';

const TOKEN = 's3cret-token-for-tests-0123456789';

describe('edge auth token', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--auth-token', TOKEN]);

  it('refuses a signaling upgrade without a token with 401 and a reason, before any WebSocket exists', async () => {
    const refused = await refusedUpgrade(edge.url);
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('this edge requires a token');
  });

  it('refuses a wrong token, in the query or the Authorization header', async () => {
    expect(await refusedUpgrade(edge.url, {}, '?token=wrong')).toEqual({ status: 401, body: 'the token is not valid for this edge\n' });
    expect((await refusedUpgrade(edge.url, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
  });

  it('accepts the right token from the SDK (connect authToken) and works normally', async () => {
    const session = await connect(edge.url, { authToken: TOKEN, transport: 'websocket', reconnect: false });
    try {
      const node = await session.deploy(await packCounter());
      expect(await node.call('add', 5)).toBe(5);
    } finally {
      session.close();
    }
  });

  it('lets connect() without the token fail', async () => {
    const error = await connect(edge.url, { transport: 'websocket', reconnect: false, connectTimeoutMs: 3000 }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('CONNECTION_FAILED');
  });

  it('guards /status and /metrics with the token and leaves /healthz and /readyz open', async () => {
    for (const path of ['/status', '/metrics']) {
      const refused = await fetch(`${edge.url}${path}`);
      expect(refused.status).toBe(401);
      expect(await refused.text()).toContain('requires a token');
      expect((await fetch(`${edge.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      expect((await fetch(`${edge.url}${path}?token=${TOKEN}`)).status).toBe(200);
    }
    expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${edge.url}/readyz`)).status).toBe(200);
  });

  it('logs refusals without the token', async () => {
    await refusedUpgrade(edge.url, {}, `?token=${TOKEN}-nope`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(edge.stderr()).toContain('"message":"signaling refused"');
    expect(edge.stderr()).not.toContain(TOKEN);
  });
});

describe('edge origin allow-list', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--allowed-origins', 'https://app.example.com, http://localhost:5173']);

  it('refuses a browser origin that is not on the list with 403, naming it', async () => {
    const refused = await refusedUpgrade(edge.url, { origin: 'https://evil.example.net' });
    expect(refused.status).toBe(403);
    expect(refused.body).toBe('origin "https://evil.example.net" is not allowed to connect to this edge\n');
  });

  it('accepts a listed origin (the same origin written differently too)', async () => {
    for (const origin of ['https://app.example.com', 'https://APP.example.com:443']) {
      const refused = await refusedUpgrade(edge.url, { origin }).catch((error: Error) => error.message);
      expect(refused).toBe('the upgrade was accepted');
    }
  });
});

describe('connections that never say hello', () => {
  const edge = useEdge(['--sandbox-workers', '1']);

  it('answers messages before hello with INVALID_INPUT and cuts the connection off after a few', async () => {
    const raw = await rawSignaling(edge.url);
    for (let id = 1; id <= 20; id++) void raw.channel.send({ type: 'ping', id, t: 0 }).catch(() => undefined);
    const first = await raw.next('error');
    expect(first).toMatchObject({ id: 1, error: { code: 'INVALID_INPUT', message: '"ping" before hello: say hello first' } });
    expect(await raw.closed).toEqual({ code: 1008, reason: 'more than 16 messages before the session was ready (say hello, then wait for welcome)' });
  });
});
