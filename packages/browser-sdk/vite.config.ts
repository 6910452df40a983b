import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { defineConfig, type Plugin } from 'vite';

// Library build of the browser SDK: an ESM bundle with type declarations for bundlers, and an IIFE that a
// plain <script> tag can load (one global, `RemoteMedia`). Both bundle @remotemedia/shared and every
// dependency, so neither needs anything else installed. Run after the demo build: the IIFE is also copied
// into demo/dist/sdk/, which the edge serves at /sdk/remotemedia.iife.js.
const sdkRoot = fileURLToPath(new URL('.', import.meta.url));
const packagesRoot = join(sdkRoot, '..');
const outDir = join(sdkRoot, 'dist');
const demoSdkDir = join(sdkRoot, '../../demo/dist/sdk');

export default defineConfig({
  root: sdkRoot,
  // The demo's public/ and index.html are not part of a library.
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: join(sdkRoot, 'src/index.ts'),
      name: 'RemoteMedia',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'remotemedia.js' : 'remotemedia.iife.js'),
    },
  },
  plugins: [serveIifeFromEdge(), declarations()],
});

/** Copies the IIFE next to the demo the edge serves, so any page can `<script src="EDGE/sdk/remotemedia.iife.js">`. */
function serveIifeFromEdge(): Plugin {
  return {
    name: 'remotemedia:serve-iife-from-edge',
    apply: 'build',
    writeBundle(output) {
      if (output.format !== 'iife') return;
      mkdirSync(demoSdkDir, { recursive: true });
      for (const file of ['remotemedia.iife.js', 'remotemedia.iife.js.map']) {
        const from = join(outDir, file);
        if (existsSync(from)) copyFileSync(from, join(demoSdkDir, file));
      }
    },
  };
}

/** `@remotemedia/shared` and each of its subpaths -> the source file its package.json exports. */
function sharedEntryFiles(): Map<string, string> {
  const sharedRoot = join(packagesRoot, 'shared');
  const manifest = JSON.parse(readFileSync(join(sharedRoot, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string> };
  return new Map(
    Object.entries(manifest.exports).map(([subpath, file]) => [
      subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      join(sharedRoot, file),
    ]),
  );
}

/**
 * Emits .d.ts files with the TypeScript API: the SDK's and, beside them, @remotemedia/shared's (a private
 * workspace package that the bundles inline, so its types must ship too). Specifiers are rewritten on the
 * way out: `./x.ts` -> `./x.js` and `@remotemedia/shared[/subpath]` -> the emitted copy, so the declarations resolve
 * without the workspace. `dist/remotemedia.d.ts` is the single types entry.
 */
function declarations(): Plugin {
  return {
    name: 'remotemedia:declarations',
    apply: 'build',
    closeBundle() {
      const typesDir = join(outDir, 'types');
      const sharedEntries = sharedEntryFiles();
      const configFile = join(sdkRoot, 'tsconfig.json');
      const host: ts.ParseConfigFileHost = {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => this.error(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      };
      const parsed = ts.getParsedCommandLineOfConfigFile(configFile, undefined, host);
      if (parsed === undefined) this.error(`cannot read ${configFile}`);
      const program = ts.createProgram({
        rootNames: [join(sdkRoot, 'src/index.ts')],
        options: {
          ...parsed.options,
          noEmit: false,
          declaration: true,
          emitDeclarationOnly: true,
          composite: false,
          incremental: false,
          tsBuildInfoFile: undefined,
          declarationMap: false,
          rootDir: packagesRoot,
          outDir: typesDir,
          // Resolved through node_modules, shared's sources would count as an external library and get no
          // declarations; mapped by path they are part of this program and emitted.
          paths: Object.fromEntries([...sharedEntries].map(([specifier, file]) => [specifier, [file]])),
        },
      });
      const result = program.emit(undefined, (fileName, text) => {
        const fromDir = dirname(fileName);
        const emitted = (specifier: string): string => {
          const source = sharedEntries.get(specifier);
          if (source === undefined) this.error(`${fileName} imports ${specifier}, which @remotemedia/shared does not export`);
          const target = join(typesDir, relative(packagesRoot, source)).replace(/\.ts$/, '.js');
          const path = relative(fromDir, target).split(sep).join('/');
          return path.startsWith('.') ? path : `./${path}`;
        };
        const rewritten = text
          .replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2')
          .replace(
            /(from\s+|import\()(['"])(@remotemedia\/shared(?:\/[\w-]+)?)\2/g,
            (_m, lead: string, quote: string, specifier: string) => `${lead}${quote}${emitted(specifier)}${quote}`,
          );
        mkdirSync(fromDir, { recursive: true });
        writeFileSync(fileName, rewritten);
      });
      // Emit diagnostics only: `tsc -b` (npm run typecheck) type-checks the sources; repeating it here doubled the build.
      const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (errors.length > 0) {
        this.error(ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => sdkRoot, getNewLine: () => '\n' }));
      }
      writeFileSync(join(outDir, 'remotemedia.d.ts'), "export * from './types/browser-sdk/src/index.js';\n");
    },
  };
}
