import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { repoRoot, startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { PUBLISHED_PACKAGES, createScratchApp, outsideEnv, repositoryVersion, type ScratchApp } from './scratchApp.ts';

const run = promisify(execFile);

// What every client below does, in Node, in the Vite-bundled page and in the script-tag pages: the same source,
// given the SDK's exports as `R`. 'javascript': a built-in node (Flip) and a plain-JS class in the sandbox, which
// must not need the TypeScript transform; 'typescript': a class written in TypeScript, which loads it.
const EXERCISE = `
async function exerciseSdk(R, edgeUrl, phase) {
  const session = await R.connect(edgeUrl);
  try {
    const width = 16, height = 8;
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < data.length; i += 4) { data[i] = (i / 4) % 256; data[i + 1] = 40; data[i + 2] = 200; data[i + 3] = 255; }
    const input = Array.from(data);
    const frame = () => R.createVideoFrame({ width, height, format: 'rgba', data: Uint8Array.from(input) });
    let out;
    if (phase === 'javascript') {
      const flip = await session.node('Flip', { direction: 'horizontal' });
      const invert = await session.deploy(await R.packSources({
        sources: { 'invert.js': 'export class Invert { process(f) { const d = f.data; for (let i = 0; i < d.length; i += 4) { d[i] = 255 - d[i]; d[i + 1] = 255 - d[i + 1]; d[i + 2] = 255 - d[i + 2]; } return f; } }' },
        entry: 'invert.js',
        exportName: 'Invert',
      }));
      const [flipped] = await flip.process(frame());
      [out] = await invert.process(flipped);
    } else {
      const brighten = await session.deploy(await R.packSources({
        sources: { 'brighten.ts': 'interface Rgba { data: Uint8Array }\\nexport class Brighten {\\n  constructor(private readonly amount: number = 30) {}\\n  process(f: Rgba): Rgba { const d = f.data; for (let i = 0; i < d.length; i += 4) { d[i] = Math.min(255, d[i] + this.amount); } return f; }\\n}\\n' },
        entry: 'brighten.ts',
        exportName: 'Brighten',
      }));
      [out] = await brighten.process(frame());
    }
    return { width, input, output: Array.from(out.data), transport: session.stats().transport };
  } finally {
    session.close();
  }
}`;

interface Exercised {
  width: number;
  input: number[];
  output: number[];
  transport: string;
  error?: string;
}

/** The pixels the edge must send back for `phase`: Flip then Invert, or +30 on red. */
function expectProcessed(result: Exercised, phase: 'javascript' | 'typescript'): void {
  expect(result.error).toBeUndefined();
  expect(result.transport).toBe('datachannel');
  const { input, output, width } = result;
  expect(output).toHaveLength(input.length);
  const expected = input.map((value, i) => {
    const channel = i % 4;
    if (phase === 'typescript') return channel === 0 ? Math.min(255, value + 30) : value;
    const pixel = i >> 2;
    const x = pixel % width;
    const mirrored = (pixel - x + (width - 1 - x)) * 4 + channel;
    return channel === 3 ? input[mirrored]! : 255 - input[mirrored]!;
  });
  expect(output).toEqual(expected);
}

const NODE_CLIENT = `// A Node 20 app using the installed SDK's /node entry (werift for WebRTC, ws for the socket).
import { connect, createVideoFrame, packSources } from '@remotemedia/browser-sdk/node';
${EXERCISE}
const results = {};
for (const phase of ['javascript', 'typescript']) results[phase] = await exerciseSdk({ connect, createVideoFrame, packSources }, process.argv[2], phase);
console.log(JSON.stringify(results));
`;

const VITE_MAIN = `import { connect, createVideoFrame, packSources } from '@remotemedia/browser-sdk';
${EXERCISE}
window.exercise = (edgeUrl, phase) => exerciseSdk({ connect, createVideoFrame, packSources }, edgeUrl, phase);
`;

// Types as a TypeScript user sees them, checked with NodeNext resolution (the strictest about exports maps).
const TYPES_CHECK = `/// <reference types="@remotemedia/browser-sdk/global" />
import { ErrorCode, Pipeline, RemoteMediaError, connect, createVideoFrame, packSources, type RemoteSession } from '@remotemedia/browser-sdk';
import { connect as connectFromNode, packFile } from '@remotemedia/browser-sdk/node';
import { packModule } from '@remotemedia/browser-sdk/packager';
import * as bundle from '@remotemedia/browser-sdk/bundle';
import { EdgeServer, type EdgeServerOptions } from '@remotemedia/edge-server';
import { SandboxPool } from '@remotemedia/edge-server/sandbox';
import { loadConfig, type EdgeConfig } from '@remotemedia/edge-server/config';
import { main as cliMain } from '@remotemedia/edge-server/cli';
import { openSandboxNode } from '@remotemedia/edge-server/testing';
import { createAudioFrame } from '@remotemedia/shared';
import { isErrorCode } from '@remotemedia/shared/errors';
import { isVideoFrame } from '@remotemedia/shared/frames';
import { parseClientMessage } from '@remotemedia/shared/protocol';
import { encodeMessage } from '@remotemedia/shared/codec';
import { Reassembler } from '@remotemedia/shared/transport';
import { buildPipeline } from '@remotemedia/shared/pipeline';
import { listNodes } from '@remotemedia/shared/nodes';
import { encodePackage } from '@remotemedia/shared/package';
import { RemoteError } from '@remotemedia/shared/guest';
import { WeriftDataChannel } from '@remotemedia/shared/node';
import { PendingRequests } from '@remotemedia/shared/rpc';

export async function typed(): Promise<number> {
  const session: RemoteSession = await connect('http://127.0.0.1:8080');
  const node = await session.deploy(await packSources({ sources: { 'a.js': 'export class A {}' }, entry: 'a.js', exportName: 'A' }));
  const frame = createVideoFrame({ width: 1, height: 1, format: 'gray', data: new Uint8Array(1) });
  const options: EdgeServerOptions = { port: 0, sdkDir: '/srv/sdk' };
  const config: EdgeConfig = loadConfig([]);
  // Real types, not \`any\`: each of these must be an error.
  // @ts-expect-error port is a number
  const wrong: EdgeServerOptions = { port: 'eighty' };
  // @ts-expect-error no such error code
  const code: ErrorCode = 'NOT_A_CODE';
  return [node, frame, options, wrong, code, Pipeline, RemoteMediaError, connectFromNode, packFile, packModule, bundle.connect, EdgeServer,
    SandboxPool, createAudioFrame, isErrorCode, isVideoFrame, parseClientMessage, encodeMessage, Reassembler, buildPipeline, listNodes,
    encodePackage, RemoteError, WeriftDataChannel, config, cliMain, openSandboxNode, PendingRequests, RemoteMedia.connect].length;
}
`;

/** Serves the app's Vite build and the script-tag pages: an origin of its own, apart from the edge's. */
function serveApp(distDir: string, pages: Record<string, string>): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css' };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://app').pathname;
    const page = pages[path];
    if (page !== undefined) return void response.writeHead(200, { 'content-type': types['.html'] }).end(page);
    const file = normalize(join(distDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(distDir + sep) || !existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

/** A page of the app's origin that loads the SDK from the edge: the script-tag build, or the ESM build as a module. */
function edgeSdkPage(edgeUrl: string, build: 'iife' | 'esm'): string {
  const load =
    build === 'iife'
      ? `<script src="${edgeUrl}/sdk/remotemedia.iife.js"></script><script>${EXERCISE}\nwindow.exercise = (url, phase) => exerciseSdk(window.RemoteMedia, url, phase);</script>`
      : `<script type="module">import * as R from '${edgeUrl}/sdk/remotemedia.js';${EXERCISE}\nwindow.exercise = (url, phase) => exerciseSdk(R, url, phase);</script>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>SDK from the edge (${build})</title></head><body>${load}</body></html>`;
}

/** Runs both phases in a fresh page, recording which SDK files it fetched before and after the TypeScript phase. */
async function exerciseInPage(
  browser: Browser,
  url: string,
  edgeUrl: string,
): Promise<{ results: Record<string, Exercised>; fetched: Record<string, string[]> }> {
  const page: Page = await browser.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  // The browser asks every origin for a favicon; the app has none.
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()}: ${response.url()}`);
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => typeof (window as unknown as { exercise?: unknown }).exercise === 'function', undefined, { timeout: 20_000 });
    const results: Record<string, Exercised> = {};
    const fetched: Record<string, string[]> = {};
    for (const phase of ['javascript', 'typescript'] as const) {
      results[phase] = await page.evaluate(
        ([edge, which]) =>
          (window as unknown as { exercise: (u: string, p: string) => Promise<Exercised> })
            .exercise(edge, which)
            .catch((error: unknown) => ({ error: String((error as Error)?.stack ?? error) }) as Exercised),
        [edgeUrl, phase] as const,
      );
      fetched[phase] = requests.filter((r) => r.endsWith('.js')).map((r) => r.slice(r.lastIndexOf('/') + 1));
    }
    expect(problems, problems.join('\n')).toEqual([]);
    return { results, fetched };
  } finally {
    await page.close();
  }
}

describe('the packed packages, installed into an app outside the repository', () => {
  let app: ScratchApp;
  let edge: EdgeProcess;
  let appServer: Server;
  let appUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    app = await createScratchApp(
      {
        'client.mjs': NODE_CLIENT,
        'web/index.html':
          '<!doctype html><html><head><meta charset="utf-8"><title>Vite app</title></head><body><script type="module" src="./main.js"></script></body></html>',
        'web/main.js': VITE_MAIN,
        'vite.config.mjs': "export default { root: 'web', logLevel: 'warn', build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' } };\n",
        'check.ts': TYPES_CHECK,
        // werift's own declarations use multicast-dns's types, which nothing installs: an app with skipLibCheck
        // off (as here, so that ours are checked) declares the one it names, as it would for any untyped module.
        'untyped.d.ts':
          "declare module 'multicast-dns' {\n  function mdns(): mdns.MulticastDNS;\n  namespace mdns {\n    type MulticastDNS = object;\n  }\n  export default mdns;\n}\n",
        'tsconfig.json': JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib: ['ES2023', 'DOM', 'DOM.Iterable'],
            types: ['node'],
            strict: true,
            skipLibCheck: false,
            noEmit: true,
          },
          files: ['check.ts', 'untyped.d.ts'],
        }),
      },
      { '@types/node': repositoryVersion('@types/node') },
    );
    // The edge as a user runs it: the installed package's bin, plain JavaScript.
    const bin = join(app.installed('@remotemedia/edge-server'), 'bin/remotemedia-edge.js');
    edge = await startEdge([], {}, [], { cli: [bin], cwd: app.dir });
    // The app's Vite build, with Vite from this repository (a tool, not a part of the app) and the SDK from the
    // app's node_modules.
    await run(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: app.dir, env: outsideEnv(), timeout: 120_000 });
    ({ server: appServer, url: appUrl } = await serveApp(join(app.dir, 'dist'), {
      '/script-tag.html': edgeSdkPage(edge.url, 'iife'),
      '/esm-from-edge.html': edgeSdkPage(edge.url, 'esm'),
    }));
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (appServer ? appServer.close(resolve) : resolve(undefined)));
    await edge?.stop();
    app?.remove();
  });

  it('packs public packages with a version, a licence, their built entries and nothing of the workspace', () => {
    for (const name of PUBLISHED_PACKAGES) {
      const dir = app.installed(name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown> & { exports: Record<string, unknown> };
      expect(manifest.private, name).toBeUndefined();
      expect(manifest.version, name).toMatch(/^\d+\.\d+\.\d+/);
      expect(manifest.license, name).toBe('MIT');
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8'), name).toMatch(/^MIT License/);
      // Every file an export points at (under any condition) is in the tarball.
      const targets = Object.values(manifest.exports).flatMap((target) =>
        typeof target === 'string' ? [target] : Object.values(target as Record<string, string>),
      );
      for (const target of targets) expect(existsSync(join(dir, target)), `${name}: ${target}`).toBe(true);
      expect(readdirSync(dir).sort(), name).toEqual(
        {
          '@remotemedia/edge-server': ['LICENSE', 'README.md', 'bin', 'demo', 'dist', 'package.json', 'src'],
          // The script-tag build's global typings (the ./global export).
          '@remotemedia/browser-sdk': ['LICENSE', 'README.md', 'dist', 'package.json', 'remotemedia-global.d.ts', 'src'],
          '@remotemedia/shared': ['LICENSE', 'README.md', 'dist', 'package.json', 'src'],
        }[name],
      );
    }
    // The CLI runs without a TypeScript runtime: none was installed.
    expect(existsSync(join(app.dir, 'node_modules/tsx'))).toBe(false);
  });

  it('type-checks an app against the packed declarations (NodeNext resolution, every entry)', async () => {
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app.dir, env: outsideEnv(), timeout: 120_000 }).catch(
      (error: { stdout: string; code: number }) => error,
    );
    expect(result.stdout, result.stdout).toBe('');
  }, 120_000);

  it('(a) a Node script on the /node entry processes frames through a built-in and a sandboxed node on the packed edge', async () => {
    const { stdout } = await run(process.execPath, ['client.mjs', edge.url], { cwd: app.dir, env: outsideEnv(), timeout: 60_000 });
    const results = JSON.parse(stdout) as Record<'javascript' | 'typescript', Exercised>;
    expectProcessed(results.javascript, 'javascript');
    expectProcessed(results.typescript, 'typescript');
  }, 90_000);

  it('(b) a Vite app bundles the packed SDK with the TypeScript transform split off, and gets processed pixels in Chromium', async () => {
    const assets = readdirSync(join(app.dir, 'dist/assets'));
    const transform = assets.filter((file) => file.startsWith('typescriptTransform-'));
    expect(transform).toHaveLength(1);
    const entry = assets.filter((file) => file.startsWith('index-') && file.endsWith('.js'));
    expect(entry).toHaveLength(1);
    // sucrase's options object lives in the transform module only.
    expect(readFileSync(join(app.dir, 'dist/assets', transform[0]!), 'utf8')).toContain('disableESTransforms');
    expect(readFileSync(join(app.dir, 'dist/assets', entry[0]!), 'utf8')).not.toContain('disableESTransforms');

    const { results, fetched } = await exerciseInPage(browser, `${appUrl}/`, edge.url);
    expectProcessed(results.javascript!, 'javascript');
    expectProcessed(results.typescript!, 'typescript');
    expect(fetched.javascript).toEqual(entry);
    expect(fetched.typescript).toEqual([...entry, ...transform]);
  }, 90_000);

  it('(c) a page on another origin loads the script-tag build from the packed edge; TypeScript loads the transform beside it', async () => {
    const { results, fetched } = await exerciseInPage(browser, `${appUrl}/script-tag.html`, edge.url);
    expectProcessed(results.javascript!, 'javascript');
    expectProcessed(results.typescript!, 'typescript');
    expect(fetched.javascript).toEqual(['remotemedia.iife.js']);
    expect(fetched.typescript).toEqual(['remotemedia.iife.js', 'remotemedia-typescript.js']);
  }, 90_000);

  it('serves the ESM build (with its chunk, any origin) and its declarations from the packed edge', async () => {
    const { results, fetched } = await exerciseInPage(browser, `${appUrl}/esm-from-edge.html`, edge.url);
    expectProcessed(results.javascript!, 'javascript');
    expectProcessed(results.typescript!, 'typescript');
    expect(fetched.javascript).toEqual(['remotemedia.js']);
    expect(fetched.typescript).toEqual(['remotemedia.js', 'remotemedia-typescript.js']);

    const esm = await fetch(`${edge.url}/sdk/remotemedia.js`, { headers: { origin: appUrl } });
    expect(esm.status).toBe(200);
    expect(esm.headers.get('content-type')).toContain('javascript');
    expect(esm.headers.get('access-control-allow-origin')).toBe('*');
    const types = await (await fetch(`${edge.url}/sdk/remotemedia.d.ts`)).text();
    const entry = /from '\.\/(.+?)'/.exec(types)?.[1];
    expect(entry).toBeDefined();
    const declarations = await fetch(`${edge.url}/sdk/${entry!.replace(/\.js$/, '.d.ts')}`);
    expect(declarations.status).toBe(200);
    expect(await declarations.text()).toContain('export');
    // The demo page, shipped inside the edge package, is served too; its files are not sent to other origins.
    const demo = await fetch(`${edge.url}/`);
    expect(demo.status).toBe(200);
    expect(demo.headers.get('access-control-allow-origin')).toBeNull();
  }, 90_000);
});

it('keeps the version constants in step with the package versions', () => {
  const version = (name: string): string =>
    (JSON.parse(readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8')) as { version: string }).version;
  expect(readFileSync(join(repoRoot, 'packages/browser-sdk/src/version.ts'), 'utf8')).toContain(`SDK_VERSION = '${version('browser-sdk')}'`);
  expect(readFileSync(join(repoRoot, 'packages/edge-server/src/version.ts'), 'utf8')).toContain(`EDGE_VERSION = '${version('edge-server')}'`);
});
