// Entry point of the `remotemedia-edge` bin.
import { main } from './cli/main.ts';

main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  // A pseudo-terminal whose size was never set reports 0 columns.
  errColumns: () => (process.stderr.isTTY ? process.stderr.columns || 80 : undefined),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`remotemedia-edge: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
