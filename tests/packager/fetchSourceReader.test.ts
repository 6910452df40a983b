import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFile } from '@remotemedia/browser-sdk/node';
import { FetchSourceReader, packModule } from '@remotemedia/browser-sdk/packager';
import { ErrorCode } from '@remotemedia/shared/errors';
import { copyFixture, FIXTURES_DIR, installPackages, makeTempDir, removeTempDirs } from '../fixtures/packager/fixtureTree.ts';

const EDGE_MODULES = { '@remotemedia/shared': 'edge:shared' };

interface StaticServer {
  origin: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `dir` like a dev server: `/vendor/*` from the fixture packages, 404 for anything missing
 * (or, with `spaFallback`, the app's index.html, as single-page dev servers do), 500 under `/broken/`.
 */
async function serve(dir: string, spaFallback = false): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    requests.push(request.url ?? '');
    void (async () => {
      if (pathname.startsWith('/broken/')) {
        response.writeHead(500).end();
        return;
      }
      const file = pathname.startsWith('/vendor/')
        ? join(FIXTURES_DIR, 'packages', normalize(pathname.slice('/vendor/'.length)))
        : join(dir, normalize(pathname));
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile() === true) {
        response.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : 'text/javascript' });
        response.end(await readFile(file));
      } else if (spaFallback) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>app</title>');
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

describe('FetchSourceReader (packing from a dev server)', () => {
  let dir: string;
  let plain: StaticServer;
  let spa: StaticServer;

  beforeAll(async () => {
    dir = await makeTempDir();
    await copyFixture('basic', join(dir, 'basic'));
    await copyFixture('app', join(dir, 'app'));
    await installPackages(dir, ['esm-pkg', 'dep-pkg', '@scope/util']);
    plain = await serve(dir);
    spa = await serve(dir, true);
  });
  afterAll(async () => {
    await Promise.all([plain.close(), spa.close()]);
    await removeTempDirs();
  });

  it('packs the same package over HTTP as from the file system', async () => {
    const fromDisk = await packFile(join(dir, 'basic', 'main.ts'), 'Scaler');
    const overHttp = await packModule(`${plain.origin}/basic/main.ts`, 'Scaler', { reader: new FetchSourceReader() });
    expect(overHttp).toEqual(fromDisk);
  });

  it('treats a single-page fallback (HTML for unknown paths) as not found', async () => {
    const fromDisk = await packFile(join(dir, 'basic', 'main.ts'), 'Scaler');
    const overHttp = await packModule('basic/main.ts', 'Scaler', { reader: new FetchSourceReader(), baseUrl: `${spa.origin}/` });
    expect(overHttp.id).toBe(fromDisk.id);
  });

  it('resolves bare specifiers from a packages base URL, giving the same package as node_modules on disk', async () => {
    const fromDisk = await packFile(join(dir, 'app', 'src', 'entry.js'), 'Greeter', { edgeModules: EDGE_MODULES });
    const overHttp = await packModule(`${plain.origin}/app/src/entry.js`, 'Greeter', {
      reader: new FetchSourceReader(),
      edgeModules: EDGE_MODULES,
      packagesBaseUrl: `${plain.origin}/node_modules/`,
    });
    expect(overHttp).toEqual(fromDisk);
    expect(plain.requests.some((url) => url.startsWith('/app/src/node_modules'))).toBe(false);
  });

  it('resolves bare specifiers through an import map', async () => {
    const pkg = await packModule(`${plain.origin}/app/src/entry.js`, 'Greeter', {
      reader: new FetchSourceReader(),
      edgeModules: EDGE_MODULES,
      baseUrl: `${plain.origin}/app/index.html`,
      importMap: {
        imports: {
          'esm-pkg': '/vendor/esm-pkg/dist/index.js',
          'esm-pkg/': '/vendor/esm-pkg/dist/',
          'dep-pkg': '/vendor/dep-pkg/index.js',
          '@scope/util': '../vendor/@scope/util/esm/index.js',
        },
      },
    });
    expect(pkg.manifest.modules.map((module) => module.path)).toEqual([
      'entry.js',
      'node_modules/@scope/util/index.js',
      'node_modules/dep-pkg/index.js',
      'node_modules/esm-pkg/feature.js',
      'node_modules/esm-pkg/index.js',
      'node_modules/esm-pkg/shared.js',
    ]);
    expect(pkg.manifest.modules[0]?.imports).toEqual({
      'esm-pkg': 'node_modules/esm-pkg/index.js',
      'esm-pkg/feature': 'node_modules/esm-pkg/feature.js',
      '@scope/util': 'node_modules/@scope/util/index.js',
      '@remotemedia/shared': 'edge:shared',
    });
  });

  it('returns undefined for 404 and throws for server errors', async () => {
    const reader = new FetchSourceReader();
    await expect(reader.read(new URL(`${plain.origin}/nothing.js`))).resolves.toBeUndefined();
    await expect(reader.read(new URL(`${plain.origin}/basic/lib/extra.ts`))).resolves.toContain('return 42');
    await expect(reader.read(new URL(`${plain.origin}/broken/a.js`))).rejects.toMatchObject({ code: ErrorCode.ModuleNotFound, retryable: true });
  });
});
