import type { Command } from '../Command.ts';
import { EXIT_FAILURE, EXIT_OK } from '../io/exitCodes.ts';
import { describeManifest } from '@remotemedia/shared';
import { formatManifestIssues, loadManifest } from '../io/loadManifest.ts';
import { parseCommandArgs } from '../io/parseCommandArgs.ts';
import { reportErrors } from '../io/reportErrors.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a pipeline manifest against the node catalogue',
  usage: `remotemedia-edge validate <manifest.json>

Checks the manifest's shape, node names, configs, queue options, placements and that each node takes what
feeds it. A manifest with "connections" is a graph: also checks ids, cycles and unconnected nodes, and prints
the graph, a connection per line. Prints one OK line (exit 0), or every problem with the path it is at, e.g.
"nodes[1].config.gainDb: must be a number ..." (exit 1). A missing file also exits 1; a wrong command line 2.
`,
  run(args, io) {
    return reportErrors('validate', io, async () => {
      const { positionals } = parseCommandArgs(args, {}, { names: ['manifest.json'] });
      const path = positionals[0]!;
      const result = await loadManifest(path);
      if (!result.ok) {
        io.err(formatManifestIssues(path, result.issues));
        return EXIT_FAILURE;
      }
      const { nodes, connections } = result.manifest;
      const count = `${nodes.length} node${nodes.length === 1 ? '' : 's'}`;
      if (connections) {
        const edges = `${connections.length} connection${connections.length === 1 ? '' : 's'}`;
        io.out(`${path}: OK, a graph of ${count} and ${edges}:\n${indent(describeManifest(result.manifest))}\n`);
      } else {
        io.out(`${path}: OK, ${count}: ${describeManifest(result.manifest)}\n`);
      }
      return EXIT_OK;
    });
  },
};

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
