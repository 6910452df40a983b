import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/edgeProcess.ts';

/**
 * Type-checks a page script that uses the script-tag build's `RemoteMedia` global with no import, as an app
 * would, against the typings the SDK package ships (`@remotemedia/browser-sdk/global`).
 */
function check(source: string): string[] {
  const file = join(repoRoot, 'tests/types/page-script.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // The SDK from its sources, as everywhere in the workspace: its dist/ may be missing or older than them.
    customConditions: ['@remotemedia/source'],
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.fileExists = (name) => name === file || fileExists(name);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const program = ts.createProgram([file], options, host);
  const page = program.getSourceFile(file);
  // Only the page's own diagnostics: the checker then checks just what the page reaches, not all SDK sources.
  return [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(page), ...program.getSemanticDiagnostics(page)].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
}

const PAGE = `/// <reference types="@remotemedia/browser-sdk/global" />
async function start(): Promise<void> {
  const { connect, packSources, createVideoFrame, Pipeline } = RemoteMedia;
  const session = await connect('http://127.0.0.1:8080', { transport: 'websocket' });
  const node = await session.deploy(await packSources({ sources: { 'a.js': 'export class A { process(f) { return f; } }' }, entry: 'a.js', exportName: 'A' }));
  const [out] = await node.process(createVideoFrame({ width: 2, height: 2, format: 'rgba' }));
  const resize = await window.RemoteMedia.connect('http://127.0.0.1:8080').then((s) => s.node('Resize', { width: 1, height: 1 }));
  const frames: import('@remotemedia/browser-sdk').VideoFrameData[] = [...(await resize.process(createVideoFrame({ width: 2, height: 2, format: 'i420' })))];
  new Pipeline([node]);
  console.log(out, frames.length, session.stats().transport);
}
void start();
`;

describe('typings of the script-tag build (remotemedia-global.d.ts)', () => {
  it('type the RemoteMedia global as the browser entry, on globalThis and window', () => {
    expect(check(PAGE)).toEqual([]);
  });

  it('catch a misuse of the global, so the typings are really applied', () => {
    const errors = check(`/// <reference types="@remotemedia/browser-sdk/global" />
void RemoteMedia.connect(8080);
void RemoteMedia.notAnExport;
`);
    expect(errors).toEqual([
      "Argument of type 'number' is not assignable to parameter of type 'string | readonly string[]'.",
      expect.stringMatching(/^Property 'notAnExport' does not exist on type 'typeof import\(/),
    ]);
  });

  it('leave RemoteMedia undeclared without the reference', () => {
    expect(check('void RemoteMedia;\n')).toEqual(["Cannot find name 'RemoteMedia'."]);
  });
});
