import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { TYPESCRIPT_TRANSFORM_FILE } from './src/packager/typescriptTransformFile.ts';

// The SDK's browser bundles, in dist/bundle/ (the package's own entries are per-module JavaScript in dist/,
// from scripts/build-packages.mjs). Both bundle @remotemedia/shared and every dependency, so neither needs
// anything else installed; the edge serves them at /sdk/.
// - `vite build` (this file's default): the ESM bundle `remotemedia.js` with its .d.ts, and the TypeScript
//   transform split off into `remotemedia-typescript.js`, loaded only when a TypeScript source is packed.
// - `vite build --mode iife`: `remotemedia.iife.js` for a plain <script> tag (one global, `RemoteMedia`). An
//   IIFE cannot split chunks, so it loads the ESM build's transform file from beside its own script.
const sdkRoot = fileURLToPath(new URL('.', import.meta.url));
const packagesRoot = join(sdkRoot, '..');
const outDir = join(sdkRoot, 'dist/bundle');
const packagerDir = join(sdkRoot, 'src/packager');

export default defineConfig(({ mode }) => ({
  root: sdkRoot,
  // The demo's public/ and index.html are not part of a library.
  publicDir: false,
  // @remotemedia/shared from its sources (the workspace's export condition): no build order between the two.
  resolve: { conditions: ['@remotemedia/source', ...defaultClientConditions] },
  build: {
    outDir,
    // The ESM build runs first and starts from an empty folder; the IIFE build adds to it.
    emptyOutDir: mode !== 'iife',
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: join(sdkRoot, 'src/index.ts'),
      name: 'RemoteMedia',
      formats: mode === 'iife' ? ['iife'] : ['es'],
      fileName: (format) => (format === 'es' ? 'remotemedia.js' : 'remotemedia.iife.js'),
    },
    rolldownOptions: {
      output: {
        // Browsers load these files as they are (from the edge's /sdk/): minified like the IIFE. Vite leaves an ES
        // library's whitespace for the bundler that would come after; bundlers get the package's own entries.
        minify: true,
        // The TypeScript transform under the name the IIFE looks for (any other chunk would be a surprise: the
        // bundle-size test lists the files).
        chunkFileNames: (chunk) => (chunk.name === 'typescriptTransform' ? TYPESCRIPT_TRANSFORM_FILE : 'remotemedia-[name]-[hash].js'),
      },
    },
  },
  plugins: mode === 'iife' ? [transformBesideScript()] : [declarations()],
}));

/** In the IIFE, loadTypeScriptTransform.ts is swapped for the variant that imports the ESM build's transform file. */
function transformBesideScript(): Plugin {
  const original = join(packagerDir, 'loadTypeScriptTransform.ts');
  const replacement = join(packagerDir, 'loadTypeScriptTransformBesideScript.ts');
  return {
    name: 'remotemedia:transform-beside-script',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === original ? replacement : resolved;
    },
  };
}

/** `@remotemedia/shared` and each of its subpaths -> the source file its package.json exports (under the source condition). */
function sharedEntryFiles(): Map<string, string> {
  const sharedRoot = join(packagesRoot, 'shared');
  const manifest = JSON.parse(readFileSync(join(sharedRoot, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | Record<string, string>>;
  };
  return new Map(
    Object.entries(manifest.exports)
      .filter((entry): entry is [string, Record<string, string>] => typeof entry[1] === 'object' && entry[1]['@remotemedia/source'] !== undefined)
      .map(([subpath, conditions]) => [
        subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
        join(sharedRoot, conditions['@remotemedia/source']!),
      ]),
  );
}

/**
 * Emits .d.ts files with the TypeScript API: the SDK's and, beside them, @remotemedia/shared's (which the
 * bundles inline, so its types must ship with them: a page loading the bundle from the edge has no packages). Specifiers are rewritten on the
 * way out: `./x.ts` -> `./x.js` and `@remotemedia/shared[/subpath]` -> the emitted copy, so the declarations resolve
 * without the workspace. `dist/bundle/remotemedia.d.ts` is the single types entry.
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
