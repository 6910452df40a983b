import { WAV_BIT_DEPTHS, describeManifest, type WavBitDepth } from '@remotemedia/shared';
import type { Command } from '../Command.ts';
import { UsageError } from '../UsageError.ts';
import { BLOCK_MS } from '../io/audioBlocks.ts';
import { buildRunPipeline } from '../io/buildRunPipeline.ts';
import { checkEdgeUrl, connectEdge, type EdgeSession } from '../io/connectEdge.ts';
import { EXIT_FAILURE, EXIT_OK } from '../io/exitCodes.ts';
import { fileFormatOf } from '../io/fileFormat.ts';
import { formatManifestIssues, loadManifest } from '../io/loadManifest.ts';
import { parseCommandArgs } from '../io/parseCommandArgs.ts';
import { readRunInput } from '../io/runInput.ts';
import { writeRunOutput } from '../io/runOutput.ts';
import { reportErrors } from '../io/reportErrors.ts';
import { RunProgress } from '../progress/RunProgress.ts';
import { registerModelRuntimes } from '../../models/registerModelRuntimes.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'run a pipeline manifest over a file (WAV audio or a JSON array of items)',
  usage: `remotemedia-edge run <manifest.json> --input <file> --output <file> [--edge <url>] [--bit-depth 16|24|32] [--quiet]

Runs every node of the manifest over the input and writes what comes out of the last node. Progress goes to
stderr: a bar with the time left on a terminal, a line every 10% otherwise.

  --input <file>      .wav: decoded and fed as ${BLOCK_MS} ms audio frames, like live capture;
                      .json: an array, each element one item for the pipeline
  --output <file>     .wav: the emitted audio, concatenated, at the rate and channel count it comes out with;
                      .json: an array of every emitted item (typed arrays written as plain arrays)
  --edge <url>        the edge that runs the nodes the manifest places "remote" (e.g. http://127.0.0.1:8080);
                      required when there are any: remote nodes are never run here instead
  --auth-token <t>    the edge's token, when it requires one (default: REMOTEMEDIA_AUTH_TOKEN, which keeps it
                      out of the process list)
  --bit-depth <n>     WAV output sample format: 16, 24 (integer PCM) or 32 (float). Default: the input WAV's
                      (8-bit becomes 16, 32-bit integer becomes 32 float), or 16 for a JSON input
  --quiet, -q         no progress (errors and the result line still print)

Exit codes: 0 done, 1 failed (missing or unreadable file, unsupported file type, invalid manifest, a node or
the edge failed), 2 wrong command line.
`,
  run(args, io) {
    return reportErrors('run', io, async () => {
      const { values, positionals } = parseCommandArgs(
        args,
        {
          input: { type: 'string', value: 'file' },
          output: { type: 'string', value: 'file' },
          edge: { type: 'string', value: 'url' },
          'auth-token': { type: 'string', value: 'token' },
          'bit-depth': { type: 'string', value: '16|24|32' },
          quiet: { type: 'boolean', short: 'q' },
        },
        { names: ['manifest.json'] },
      );
      const manifestPath = positionals[0]!;
      if (values.input === undefined) throw new UsageError('missing --input <file>');
      if (values.output === undefined) throw new UsageError('missing --output <file>');
      const edgeUrl = values.edge === undefined ? undefined : checkEdgeUrl(values.edge);
      const bitDepthFlag = values['bit-depth'] === undefined ? undefined : parseBitDepth(values['bit-depth']);
      const inputFormat = fileFormatOf(values.input, 'input');
      const outputFormat = fileFormatOf(values.output, 'output');
      if (bitDepthFlag !== undefined && outputFormat !== 'wav') throw new UsageError('--bit-depth applies to a .wav output only');

      const loaded = await loadManifest(manifestPath);
      if (!loaded.ok) {
        io.err(formatManifestIssues(manifestPath, loaded.issues));
        return EXIT_FAILURE;
      }
      const { manifest } = loaded;
      if (manifest.connections) {
        io.err(
          `${manifestPath}: run takes a chain of nodes to one output file; this manifest is a graph (it has "connections"): run it with the SDK's loadGraph\n`,
        );
        return EXIT_FAILURE;
      }
      const remote = manifest.nodes.flatMap((entry, index) => (entry.placement === 'remote' ? [`nodes[${index}] (${entry.node})`] : []));
      if (remote.length > 0 && edgeUrl === undefined) {
        throw new UsageError(
          `${manifestPath} places ${remote.join(', ')} remote: pass --edge <url> of the edge that should run ${remote.length === 1 ? 'it' : 'them'}`,
        );
      }

      // Everything that can fail locally is checked before connecting, so a typo does not cost a session.
      const input = await readRunInput(values.input, inputFormat);
      let session: EdgeSession | undefined;
      const outputs: unknown[] = [];
      const style = values.quiet ? 'off' : io.errColumns() === undefined ? 'lines' : 'bar';
      const progress = new RunProgress(input.count, input.unit, style, io);
      try {
        if (remote.length > 0) session = await connectEdge(edgeUrl!, values['auth-token'] ?? (process.env.REMOTEMEDIA_AUTH_TOKEN || undefined));
        // Model nodes placed locally load their models here, in the CLI process.
        registerModelRuntimes();
        const pipeline = await buildRunPipeline(manifest, session);
        for await (const output of pipeline.stream(progress.track(input.items))) outputs.push(output);
      } finally {
        progress.finish();
        session?.close();
      }
      const written = await writeRunOutput(values.output, outputFormat, outputs, bitDepthFlag ?? input.bitDepth);
      const where = session === undefined ? '' : ` (remote nodes on ${edgeUrl})`;
      io.out(`${values.input} (${input.description}) -> ${describeManifest(manifest)}${where} -> ${values.output} (${written})\n`);
      return EXIT_OK;
    });
  },
};

function parseBitDepth(text: string): WavBitDepth {
  const depth = Number(text);
  if (!WAV_BIT_DEPTHS.includes(depth as WavBitDepth)) {
    throw new UsageError(`--bit-depth must be one of ${WAV_BIT_DEPTHS.join(', ')} (32 is float), got "${text}"`);
  }
  return depth as WavBitDepth;
}
