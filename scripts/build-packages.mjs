// Builds workspace packages to JavaScript + .d.ts (+ maps) in their dist/, each from its tsconfig.build.json:
// what the packages' exports point at once published. `node scripts/build-packages.mjs <package dir>...` builds
// them in the order given (a package after those it imports: they resolve through their built declarations,
// the build configs dropping the `@remotemedia/source` condition). One process for all, sharing parsed
// library files between the packages: parsing the DOM and Node typings is most of a small package's build.
//
// Types are not checked here (`noCheck`): the typecheck gate (`tsc -b`) checks every source already, and
// checking again would double the build.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const packageDirs = process.argv.slice(2).map((dir) => resolve(dir));
if (packageDirs.length === 0) fail([], 'usage: node scripts/build-packages.mjs <package dir>...');

/** Parsed files outside every package's sources (typings in node_modules, TypeScript's libs), by path and target. */
const sharedFiles = new Map();

for (const packageDir of packageDirs) build(packageDir);

function build(packageDir) {
  const configFile = join(packageDir, 'tsconfig.build.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail([diagnostic]),
  });
  if (parsed === undefined) fail([], `cannot read ${configFile}`);
  if (parsed.errors.length > 0) fail(parsed.errors);
  const { outDir } = parsed.options;
  if (outDir === undefined) fail([], `${configFile} sets no outDir`);
  // A file removed from the sources must not live on in the package.
  rmSync(outDir, { recursive: true, force: true });

  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    if (!fileName.includes('/node_modules/') || fileName.includes('/node_modules/@remotemedia/'))
      return getSourceFile(fileName, languageVersion, ...rest);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    if (!sharedFiles.has(key)) sharedFiles.set(key, getSourceFile(fileName, languageVersion, ...rest));
    return sharedFiles.get(key);
  };
  host.writeFile = (fileName, text) => {
    mkdirSync(dirname(fileName), { recursive: true });
    // The JavaScript's relative `./x.ts` imports are rewritten by the compiler (rewriteRelativeImportExtensions);
    // declarations keep them, which TypeScript before 5.0 (and some tools) cannot resolve: point them at .js too.
    writeFileSync(
      fileName,
      fileName.endsWith('.d.ts') ? text.replace(/((?:from\s+|import\()(['"])\.{1,2}\/[^'"]+?)\.([mc]?)ts\2/g, '$1.$3js$2') : text,
    );
  };

  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  const result = program.emit();
  const errors = [...program.getSyntacticDiagnostics(), ...program.getOptionsDiagnostics(), ...result.diagnostics].filter(
    (d) => d.category === ts.DiagnosticCategory.Error,
  );
  if (errors.length > 0 || result.emitSkipped) fail(errors, `${packageDir}: emit failed`);
}

function fail(diagnostics, message) {
  if (diagnostics.length > 0) {
    console.error(
      ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' }),
    );
  }
  if (message) console.error(message);
  process.exit(1);
}
