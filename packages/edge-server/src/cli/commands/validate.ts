import type { Command } from '../Command.ts';
import { EXIT_FAILURE, EXIT_OK } from '../io/exitCodes.ts';
import { describeChain, formatManifestIssues, loadManifest } from '../io/loadManifest.ts';
import { parseCommandArgs } from '../io/parseCommandArgs.ts';
import { reportErrors } from '../io/reportErrors.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a pipeline manifest against the node catalogue',
  usage: `remotemedia-edge validate <manifest.json>

Checks the manifest's shape, node names, configs, queue options, placements and that each node takes what
the previous one emits. Prints one OK line (exit 0), or every problem with the path it is at, e.g.
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
      const count = result.manifest.nodes.length;
      io.out(`${path}: OK, ${count} node${count === 1 ? '' : 's'}: ${describeChain(result.manifest)}\n`);
      return EXIT_OK;
    });
  },
};
