// The gate list `npm test` runs (and CI, after installing): each gate is an npm script, run in this order; the
// first that fails stops the run. Each gate is named in the output as it starts and as it ends.
//   npm test                         every gate
//   npm test -- typecheck unit       only the gates named, still in list order
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** name -> npm script; `tests` marks the gates that run vitest, whose counts add up to the closing line. */
const GATES = [
  { name: 'lint', script: 'lint' },
  { name: 'format', script: 'format:check' },
  { name: 'typecheck', script: 'typecheck' },
  { name: 'unit', script: 'test:unit', tests: true },
  { name: 'build', script: 'build' },
  { name: 'integration', script: 'test:integration', tests: true },
  { name: 'browser', script: 'test:browser', tests: true },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !GATES.some((gate) => gate.name === name));
if (unknown.length > 0) {
  console.error(`unknown gate(s): ${unknown.join(', ')}; the gates are: ${GATES.map((g) => g.name).join(', ')}`);
  process.exit(2);
}
const selected = GATES.filter((gate) => wanted.length === 0 || wanted.includes(gate.name));

const reports = mkdtempSync(join(tmpdir(), 'remotemedia-gates-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();

for (const [index, gate] of selected.entries()) {
  const label = `gate ${index + 1}/${selected.length}: ${gate.name}`;
  console.log(`\n== ${label} ==`);
  const gateStarted = Date.now();
  const args = ['run', gate.script];
  const report = join(reports, `${gate.name}.json`);
  if (gate.tests) args.push('--', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`);
  const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (gate.tests) countTests(report);
  const seconds = ((Date.now() - gateStarted) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.log(`== ${label}: FAILED (exit ${result.status ?? result.signal}) after ${seconds} s ==`);
    finish(result.status || 1);
  }
  console.log(`== ${label}: passed in ${seconds} s ==`);
}
finish(0);

/** Adds a vitest JSON report's counts to the totals (a gate that crashed before writing one adds nothing). */
function countTests(file) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

function finish(code) {
  rmSync(reports, { recursive: true, force: true });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`\n${code === 0 ? 'all gates passed' : 'stopped at a failed gate'} in ${minutes} min`);
  // The plain closing line CI tools read: tests run by the gates that ran.
  console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(code);
}
