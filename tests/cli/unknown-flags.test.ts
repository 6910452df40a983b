import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.ts';

const EXAMPLE = 'examples/manifests/gain-resample.json';

/** Every case: the exact single line on stderr, exit code 2, nothing on stdout. */
describe('remotemedia-edge: a mistyped command or flag gets one line with the fix', () => {
  for (const [label, args, line] of [
    [
      'a near miss of a flag',
      ['nodes', '--jsn'],
      'remotemedia-edge nodes: unknown flag --jsn; did you mean --json? (remotemedia-edge nodes --help shows the usage)',
    ],
    [
      'a flag nothing is close to (instead of parseArgs advice about "--")',
      ['nodes', '--bogus'],
      'remotemedia-edge nodes: unknown flag --bogus; the flags are --json (remotemedia-edge nodes --help shows the usage)',
    ],
    [
      'a near miss of a run flag',
      ['run', EXAMPLE, '--inptu', 'a.wav', '--output', 'b.wav'],
      'remotemedia-edge run: unknown flag --inptu; did you mean --input? (remotemedia-edge run --help shows the usage)',
    ],
    [
      'a flag for a command that takes none',
      ['validate', EXAMPLE, '--strict'],
      'remotemedia-edge validate: unknown flag --strict; this command takes no flags (remotemedia-edge validate --help shows the usage)',
    ],
    [
      'a misspelt --version after a command',
      ['nodes', '--verison'],
      'remotemedia-edge nodes: unknown flag --verison; did you mean --version? (remotemedia-edge nodes --help shows the usage)',
    ],
    [
      'a flag whose value was left out',
      ['run', EXAMPLE, '--input', '--output', 'b.wav'],
      'remotemedia-edge run: --input needs a value (--input <file>), got the flag --output (remotemedia-edge run --help shows the usage)',
    ],
    [
      'a value for a switch',
      ['nodes', '--json=yes'],
      'remotemedia-edge nodes: --json takes no value, got "yes" (remotemedia-edge nodes --help shows the usage)',
    ],
    [
      'a near miss of a serve setting',
      ['serve', '--max-sesions', '3'],
      'remotemedia-edge serve: unknown flag --max-sesions; did you mean --max-sessions?',
    ],
    [
      'a near miss of a command',
      ['nodse'],
      'remotemedia-edge: unknown command "nodse"; did you mean "nodes"? (remotemedia-edge --help lists the commands)',
    ],
    [
      'a command nothing is close to',
      ['frobnicate'],
      'remotemedia-edge: unknown command "frobnicate"; the commands are serve, nodes, validate, run, drain (remotemedia-edge --help lists the commands)',
    ],
    ['a misspelt --version before any command', ['--verison'], 'remotemedia-edge: unknown flag --verison; did you mean --version?'],
    [
      'a command flag before the command',
      ['--port', '9000'],
      'remotemedia-edge: --port must come after a command: remotemedia-edge <command> --port (remotemedia-edge --help lists the commands)',
    ],
  ] as const) {
    it(`exits 2 for ${label}`, async () => {
      const { code, stdout, stderr } = await runCli([...args]);
      expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
    });
  }

  it('still takes a value that starts with "-" when it is given inline', async () => {
    const { code, stderr } = await runCli(['run', EXAMPLE, '--input=-in.wav', '--output', 'b.wav']);
    expect(code).toBe(1);
    expect(stderr).toBe('remotemedia-edge run: cannot read -in.wav: no such file\n');
  });
});
