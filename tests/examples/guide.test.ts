import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot, useEdge } from '../support/edgeProcess.ts';
import { FROM_SOURCES } from '../support/fromSources.ts';

const run = promisify(execFile);
const GUIDE = 'examples/guide';

/** The programs of docs/writing-nodes.md; every other file there is a module one of them imports. */
const PROGRAMS = [
  'try-invert.ts',
  'accepted-formats.ts',
  'frame-layouts.ts',
  'limits.ts',
  'test-nodes.ts',
  'console-events.ts',
  'deploy.ts',
  'blur-styles.ts',
  'try-wasm-blur.ts',
];

/** Files a module imports relatively, and theirs, as repo-relative paths. */
function importedBy(file: string, seen = new Set<string>()): Set<string> {
  for (const [, specifier] of readFileSync(join(repoRoot, file), 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const target = normalize(join(dirname(file), specifier!));
    if (seen.has(target)) continue;
    seen.add(target);
    importedBy(target, seen);
  }
  return seen;
}

/** The examples of the node guide run as written, as its readers would run them (see each file's first line). */
describe('examples/guide (docs/writing-nodes.md)', () => {
  const edge = useEdge();

  const example = async (file: string): Promise<string> => {
    const { stdout } = await run(process.execPath, [...FROM_SOURCES, `${GUIDE}/${file}`], {
      cwd: repoRoot,
      env: { ...process.env, EDGE_URL: edge.url },
      timeout: 60_000,
    });
    return stdout;
  };

  it('runs every file: each is a program below or imported by one', () => {
    const files = (readdirSync(join(repoRoot, GUIDE), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(GUIDE, f))
      .sort();
    const reached = new Set(PROGRAMS.map((p) => join(GUIDE, p)));
    for (const program of [...reached]) for (const module of importedBy(program)) reached.add(module);
    expect(files.filter((f) => !reached.has(f)).map((f) => relative(repoRoot, join(repoRoot, f)))).toEqual([]);
  });

  it('try-invert.ts inverts a frame in the sandbox, as its comment says', async () => {
    expect(await example('try-invert.ts')).toBe('0 255 255 255 245 235 225 255\n');
  });

  it('blur-styles.ts blurs the same frames with a plain loop and with kernels in the sandbox, to the same bytes', async () => {
    expect(await example('blur-styles.ts')).toBe(
      'loop and kernels in the sandbox give the same frames: true\nkernels in the sandbox and in V8 give the same frames: true\n',
    );
  });

  it('accepted-formats.ts: Invert, declared for rgba, gets an I420 frame as RGBA in the sandbox and in V8', async () => {
    const inverted = 'rgba 255 255 255 255 255 255 255 255 0 0 0 255 0 0 0 255';
    expect(await example('accepted-formats.ts')).toBe(`sandbox: ${inverted}\nV8: ${inverted}\n`);
  });

  it('try-wasm-blur.ts builds its WebAssembly, blurs a frame locally and in the sandbox, with the same bytes', async () => {
    expect(await example('try-wasm-blur.ts')).toBe(
      '44 24 4 255 26 26 26 255 8 28 48 255 28 18 8 255 22 22 22 255 16 26 36 255\nthe sandbox agrees\n',
    );
  });

  it('frame-layouts.ts prints the offsets the guide draws', async () => {
    expect((await example('frame-layouts.ts')).split('\n')).toEqual([
      'rgba 3x2: 24 bytes, pixel (2, 1) at byte 20',
      'gray 3x2: 6 bytes',
      'i420 5x3: 27 bytes, U at 15, V at 21, pixel (4, 2) has U byte 20',
      'audio: 2 samples per channel, right channel -0.5, -0.25',
      '',
    ]);
  });

  it('limits.ts gets each limit’s code, as its comment says', async () => {
    expect(await example('limits.ts')).toBe(
      'loop: SANDBOX_TIMEOUT\nmemory: SANDBOX_OUT_OF_MEMORY\nrecursion: SANDBOX_STACK_OVERFLOW\nthrow: USER_ERROR\n',
    );
  });

  it('test-nodes.ts passes all its tests, in the sandbox and in V8', async () => {
    const out = await example('test-nodes.ts');
    expect(out).toMatch(/^# tests 10$/m);
    expect(out).toMatch(/^# pass 10$/m);
    expect(out).toMatch(/^# fail 0$/m);
  });

  it('console-events.ts gets the frames and the line the node logged on the edge at cleanup', async () => {
    expect(await example('console-events.ts')).toBe(
      ['frame 1: 0 136 186 255', 'frame 2: 0 136 186 255', 'frame 3: 0 136 186 255', '[edge] Gamma log: gamma 2.2: 3 frames', ''].join('\n'),
    );
  });

  it('deploy.ts keeps every other frame and resizes it with a built-in', async () => {
    expect(await example('deploy.ts')).toBe('frame 2: kept, resized to 2x1\nframe 4: kept, resized to 2x1\n');
  });
});
