// `npm run bench:kernels`: only the compute part of `npm run bench` (node time per frame of per-pixel effects,
// each way COMPUTE_VARIANTS runs them), written to bench-results/kernels.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { repoRoot } from '../support/edgeProcess.ts';
import { benchCompute, printComputeTable } from './compute.ts';
import { COMPUTE_VARIANTS } from './computeVariants.ts';

const rows = await benchCompute(COMPUTE_VARIANTS);
printComputeTable(rows);
mkdirSync(`${repoRoot}bench-results`, { recursive: true });
const results = { machine: { node: process.version, cpus: cpus().length }, when: new Date().toISOString(), compute: rows };
writeFileSync(`${repoRoot}bench-results/kernels.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log('written to bench-results/kernels.json');
