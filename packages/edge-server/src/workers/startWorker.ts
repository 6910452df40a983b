import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module URL that may be TypeScript. From compiled .js it is a plain file
 * worker. From .ts (vitest, `node --import tsx`) the worker must load tsx itself: worker threads do not inherit
 * vitest's transform, and on Node 20 a worker started with `execArgv: [...process.execArgv, '--import', 'tsx']`
 * still fails with 'Unknown file extension ".ts"' (checked on 20.20, under vitest and under `node --import
 * tsx`). So a tiny eval'd bootstrap registers tsx's ESM hooks in the worker and then imports the .ts entry.
 * Paths are absolute: no dependence on the cwd.
 */
export function startWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  // The ESM build of tsx's API, read from its exports map: require.resolve would pick the CommonJS build,
  // which cannot load its ESM half from an eval'd worker.
  const require = createRequire(import.meta.url);
  const tsxPackageJson = require.resolve('tsx/package.json');
  const exportsMap = (require(tsxPackageJson) as { exports: Record<string, { import: { default: string } }> }).exports;
  const tsxApi = new URL(exportsMap['./esm/api']!.import.default, pathToFileURL(tsxPackageJson)).href;
  const script = `import(${JSON.stringify(tsxApi)})
  .then((api) => { (api.register ?? api.default.register)(); return import(${JSON.stringify(entry.href)}); })
  .catch((error) => { process.nextTick(() => { throw error; }); });`;
  return new Worker(script, { ...options, eval: true });
}

/** The sibling module of `base` named `name`, as .ts when running from sources and .js when compiled. */
export function siblingModule(base: string, name: string): URL {
  return new URL(base.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`, base);
}
