import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startEdge, type EdgeProcess } from './edgeProcess.ts';

export interface EdgeAndAppOrigin {
  readonly edge: EdgeProcess;
  /** The app server's root URL: another port than the edge's, so another origin, sharing nothing but the edge's URL. */
  readonly appUrl: string;
}

/**
 * A real edge and a page server of another origin that serves what `app` answers, for one describe block. Read
 * the fields inside tests and hooks: they are set in beforeAll.
 */
export function useEdgeAndAppOrigin(app: (edge: EdgeProcess) => RequestListener): EdgeAndAppOrigin {
  const fixture = {} as { edge: EdgeProcess; appUrl: string };
  let server: Server | undefined;
  beforeAll(async () => {
    fixture.edge = await startEdge();
    server = createServer(app(fixture.edge));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    fixture.appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
    await fixture.edge?.stop();
  });
  return fixture;
}
