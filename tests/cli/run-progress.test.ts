import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '@remotemedia/shared/codec';
import { RunProgress, TimeLeftEstimator, formatDuration, progressLine, renderProgressBar, type CommandIo } from '@remotemedia/edge-server/cli';
import { repoRoot } from '../support/edgeProcess.ts';
import { sine } from './audioAnalysis.ts';
import { CLI_COMMAND, runCli, tempDir } from './runCli.ts';

const EXAMPLE = 'examples/manifests/gain-resample.json';
const SUMMARY = (input: string, output: string) =>
  `${input} (1.000 s of 48000 Hz x 1 ch) -> Gain -> Resample -> ${output} (16000 samples at 16000 Hz x 1 ch, 16-bit)`;

/** Collects what a command writes, the way a terminal or a log file would receive it. */
function sinkIo(columns: number | undefined): CommandIo & { errText: string } {
  const io = {
    errText: '',
    out: () => undefined,
    err: (text: string) => {
      io.errText += text;
    },
    errColumns: () => columns,
  };
  return io;
}

describe('run progress: the text', () => {
  it('formats times left rounded up, in s, min and h', () => {
    const hour = 3_600_000;
    expect(
      [1, 999, 1000, 1001, 59_000, 60_000, 125_000, 3_599_000, hour, 3_720_000, 100 * hour - 60_000, 100 * hour, 10_000 * hour].map(formatDuration),
    ).toEqual([
      '1 s',
      '1 s',
      '1 s',
      '2 s',
      '59 s',
      '1 min 00 s',
      '2 min 05 s',
      '59 min 59 s',
      '1 h 00 min',
      '1 h 02 min',
      '99 h 59 min',
      'over 99 h',
      'over 99 h',
    ]);
  });

  it('estimates the time left only once the rate means something, and not when done', () => {
    const estimator = new TimeLeftEstimator(100);
    expect(estimator.update(1, 0)).toBeUndefined();
    expect(estimator.update(10, 999)).toBeUndefined();
    // 24 items in 2 s since the first: 12 ms each for the 75 left.
    expect(estimator.update(25, 2000)).toBeCloseTo(6250, 6);
    expect(estimator.update(100, 3000)).toBeUndefined();
  });

  it('follows the recent rate: a slow start stops counting after about 5 s', () => {
    const estimator = new TimeLeftEstimator(10_000);
    let left: number | undefined;
    // 10 s at 10 items/s, then 20 s at 100 items/s, sampled every 100 ms.
    let done = 0;
    for (let at = 0; at <= 30_000; at += 100) {
      done += at <= 10_000 ? 1 : 10;
      left = estimator.update(done, at);
    }
    // 10_000 - 2101 = 7899 items left at 100 items/s; the whole-run average (70 items/s) would say 112 s.
    expect(done).toBe(2101);
    expect(left! / 1000).toBeCloseTo(79, 0);
  });

  it('draws a bar that keeps its width while the text changes, within the terminal width', () => {
    const at = (done: number, timeLeftMs: number | undefined) => renderProgressBar({ done, total: 15000, unit: 'frames', timeLeftMs }, 70);
    expect(at(1, undefined)).toBe(`[${'-'.repeat(25)}]   0%     1/15000 frames`);
    expect(at(5550, 6300)).toBe(`[#########${'-'.repeat(16)}]  37%  5550/15000 frames, 7 s left`);
    expect(at(15000, undefined)).toBe(`[${'#'.repeat(25)}] 100% 15000/15000 frames`);
    // However long the estimate: one item an hour leaves 14999 hours.
    for (const [done, timeLeftMs] of [
      [1, 14_999 * 3_600_000],
      [5550, 3_000_000],
      [14999, 1000],
    ])
      expect(at(done!, timeLeftMs!).length).toBeLessThanOrEqual(69);
  });

  it('drops the bar, not the numbers, on a narrow terminal', () => {
    expect(renderProgressBar({ done: 5, total: 50, unit: 'frames', timeLeftMs: undefined }, 40)).toBe('10%  5/50 frames');
  });

  it('writes a log line with the count and, once known, the time left', () => {
    expect(progressLine({ done: 1500, total: 15000, unit: 'frames', timeLeftMs: undefined })).toBe('10% (1500/15000 frames)');
    expect(progressLine({ done: 1500, total: 15000, unit: 'frames', timeLeftMs: 17_200 })).toBe('10% (1500/15000 frames), about 18 s left');
  });

  it('redraws the bar at most ten times a second, always at 100%, and clears it at the end', () => {
    let now = 0;
    const io = sinkIo(80);
    const progress = new RunProgress(200, 'items', 'bar', io, () => now);
    // 200 items 20 ms apart: 4 s, so at most 40 timed redraws plus the first and the last.
    for (const _ of progress.track(Array.from({ length: 200 }, (_, i) => i))) now += 20;
    progress.finish();
    const draws = io.errText.split('\r').filter((part) => part.startsWith('['));
    expect(draws.length).toBeGreaterThan(30);
    expect(draws.length).toBeLessThanOrEqual(42);
    expect(draws[draws.length - 1]).toMatch(/^\[#+\] 100% 200\/200 items\x1b\[K$/);
    expect(io.errText.endsWith('\r\x1b[K')).toBe(true);
  });

  it('writes nothing when quiet, and a line per 10% to a log', () => {
    const quiet = sinkIo(80);
    const silent = new RunProgress(30, 'items', 'off', quiet);
    expect([...silent.track(Array.from({ length: 30 }, (_, i) => i))]).toHaveLength(30);
    silent.finish();
    expect(quiet.errText).toBe('');

    const log = sinkIo(undefined);
    const lines = new RunProgress(3, 'items', 'lines', log, () => 0);
    expect([...lines.track(['a', 'b', 'c'])]).toEqual(['a', 'b', 'c']);
    lines.finish();
    expect(log.errText).toBe(
      'remotemedia-edge run: 33% (1/3 items)\nremotemedia-edge run: 66% (2/3 items)\nremotemedia-edge run: 100% (3/3 items)\n',
    );
  });
});

describe('run progress: the real CLI', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let input: string;

  beforeAll(async () => {
    dir = await tempDir();
    input = dir.file('one-second.wav');
    // 1 s at 48 kHz: exactly 50 blocks of 20 ms, so every 10% falls on a whole block.
    await writeFile(input, encodeWav(sine(440, 0.5, 48000, 1), { bitDepth: 16 }));
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('prints a line per 10% on stderr when stderr is not a terminal, and the result on stdout', async () => {
    const output = dir.file('lines.wav');
    const { code, stdout, stderr } = await runCli(['run', EXAMPLE, '--input', input, '--output', output]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${SUMMARY(input, output)}\n`);
    const lines = stderr.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(10);
    lines.forEach((line, i) => {
      const percent = (i + 1) * 10;
      const count = `${percent / 2}/50 frames`;
      // The time left is there only when the run took over a second (a loaded machine): its value is not the point.
      expect(line).toMatch(new RegExp(`^remotemedia-edge run: ${percent}% \\(${count.replace('/', '\\/')}\\)(, about \\d+ s left)?$`));
    });
    expect(lines[9]).toBe('remotemedia-edge run: 100% (50/50 frames)');
  });

  it('prints no progress with --quiet', async () => {
    const output = dir.file('quiet.wav');
    const { code, stdout, stderr } = await runCli(['run', EXAMPLE, '--input', input, '--output', output, '--quiet']);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: `${SUMMARY(input, output)}\n`, stderr: '' });
  });

  const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

  // `script` (util-linux) runs the CLI on a pseudo-terminal 60 columns wide, as a person's terminal would.
  it.skipIf(!hasScript)('draws a bar on a terminal, redrawn in place, then clears it before the result line', async () => {
    const output = dir.file('bar.wav');
    const cli = [...CLI_COMMAND, 'run', EXAMPLE, '--input', input, '--output', output].map((arg) => `'${arg}'`).join(' ');
    const { code, text } = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn('script', ['-qec', `stty cols 60; exec ${cli}`, '/dev/null'], {
        cwd: repoRoot,
        env: { ...process.env, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('error', reject);
      child.once('close', (exit) => {
        clearTimeout(timer);
        resolve({ code: exit, text });
      });
    });
    expect(code).toBe(0);
    // 60 columns leave a 21-character bar beside "100% 50/50 frames, 59 min 59 s left".
    const first = `\r[${'-'.repeat(21)}]   2%  1/50 frames\x1b[K`;
    const last = `\r[${'#'.repeat(21)}] 100% 50/50 frames\x1b[K`;
    expect(text.startsWith(first)).toBe(true);
    // The terminal turns the result's \n into \r\n.
    expect(text.endsWith(`${last}\r\x1b[K${SUMMARY(input, output)}\r\n`)).toBe(true);
    for (const draw of text.split('\r').filter((part) => part.startsWith('['))) expect(draw.replace('\x1b[K', '').length).toBeLessThanOrEqual(59);
  });
});
