// remote() of a class already packed in this process located and packed it again every time (the inspector's
// debugger enabled anew, the module graph walked and transpiled again): ~50 ms per first call. Packed modules
// are now cached and checked against their files; an edited module must still be packed anew.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { locateClass, nodeModuleSupport } from '@remotemedia/browser-sdk/node';
import { makeTempDir, removeTempDirs } from '../fixtures/packager/fixtureTree.ts';

async function writeModules(dir: string, helperValue: number): Promise<string> {
  await mkdir(join(dir, 'lib'), { recursive: true });
  await writeFile(join(dir, 'lib', 'helper.js'), `export const offset = ${helperValue};\n`);
  await writeFile(join(dir, 'calc.js'), `import { offset } from './lib/helper.js';\nexport class Calc { add(a, b) { return a + b + offset; } }\n`);
  return pathToFileURL(join(dir, 'calc.js')).href;
}

describe('remote() of a class packed before reuses its package until a file changes', () => {
  afterAll(removeTempDirs);

  it('an unchanged module is not packed again: the same package (and id) comes back', async () => {
    const url = await writeModules(await makeTempDir(), 1);
    const support = nodeModuleSupport();
    const first = await support.pack(url, 'Calc');
    const second = await nodeModuleSupport().pack(url, 'Calc');
    expect(second).toBe(first);
    expect(second.id).toBe(first.id);
  });

  it('an imported module edited right after the pack (same size) is packed anew', async () => {
    const dir = await makeTempDir();
    const url = await writeModules(dir, 1);
    const support = nodeModuleSupport();
    const before = await support.pack(url, 'Calc');
    await writeFile(join(dir, 'lib', 'helper.js'), `export const offset = 7;\n`);
    const after = await support.pack(url, 'Calc');
    expect(after.id).not.toBe(before.id);
    expect(after.sources['lib/helper.js']).toContain('offset = 7');
    expect(await support.pack(url, 'Calc')).toBe(after);
  });

  it('a module that appears where an import found nothing changes the package', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, 'util.ts'), `export const kind = 'ts';\n`);
    await writeFile(join(dir, 'main.js'), `import { kind } from './util.js';\nexport class Main { kind() { return kind; } }\n`);
    const url = pathToFileURL(join(dir, 'main.js')).href;
    const support = nodeModuleSupport();
    const before = await support.pack(url, 'Main');
    expect(Object.keys(before.sources)).toContain('util.ts');
    // './util.js' is read as util.js first, util.ts only when it is missing: a util.js created now takes its place.
    await writeFile(join(dir, 'util.js'), `export const kind = 'js';\n`);
    const after = await support.pack(url, 'Main');
    expect(Object.keys(after.sources)).toContain('util.js');
  });

  it('classes of modules loaded after the first lookup are still located, each once', async () => {
    const { SimpleCalculator } = await import('../fixtures/remote/SimpleCalculator.ts');
    const calcUrl = await locateClass(SimpleCalculator);
    expect(calcUrl).toMatch(/^file:.*\/SimpleCalculator\.ts$/);
    const { Counter } = await import('../fixtures/remote/Counter.ts');
    expect(await locateClass(Counter)).toMatch(/^file:.*\/Counter\.ts$/);
    expect(await locateClass(SimpleCalculator)).toBe(calcUrl);
  });
});
