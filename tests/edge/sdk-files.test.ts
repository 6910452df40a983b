import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeServer } from '@remotemedia/edge-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A GET with the path sent exactly as written (fetch would normalise `..` and `%2e` away). */
function rawGet(url: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'GET', path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the SDK bundles at /sdk/ (EdgeServer sdkDir)', () => {
  const root = mkdtempSync(join(tmpdir(), 'remotemedia-sdk-files-'));
  const demoDir = join(root, 'demo');
  const sdkDir = join(root, 'sdk');
  let edge: EdgeServer;
  let url: string;

  beforeAll(async () => {
    mkdirSync(demoDir);
    mkdirSync(sdkDir);
    writeFileSync(join(demoDir, 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(join(sdkDir, 'remotemedia.js'), 'export const sdk = 1;');
    writeFileSync(join(sdkDir, 'remotemedia.d.ts'), 'export declare const sdk: number;');
    // Beside the served folders, never to be served.
    writeFileSync(join(root, 'secret.txt'), 'secret');
    edge = new EdgeServer({ port: 0, logLevel: 'error', staticDir: demoDir, sdkDir, dataDir: join(root, 'data'), sandboxWorkers: 1 });
    url = await edge.listen();
  });

  afterAll(async () => {
    await edge?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the bundles to any origin, and the demo page without that header', async () => {
    const esm = await rawGet(url, '/sdk/remotemedia.js');
    expect(esm.status).toBe(200);
    expect(esm.body).toBe('export const sdk = 1;');
    expect(esm.headers['content-type']).toContain('javascript');
    expect(esm.headers['access-control-allow-origin']).toBe('*');
    const types = await rawGet(url, '/sdk/remotemedia.d.ts');
    expect(types.status).toBe(200);
    expect(types.body).toBe('export declare const sdk: number;');

    const demo = await rawGet(url, '/');
    expect(demo.status).toBe(200);
    expect(demo.body).toContain('<title>demo</title>');
    expect(demo.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 404 for paths that climb out of the SDK folder, however they are encoded', async () => {
    for (const path of [
      '/sdk/..%2Fsecret.txt',
      '/sdk/..%2f..%2fsecret.txt',
      '/sdk/%2e%2e/secret.txt',
      '/sdk/..%5csecret.txt',
      '/sdk/%00',
      '/sdk/missing.js',
    ]) {
      const response = await rawGet(url, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('secret');
    }
  });
});
