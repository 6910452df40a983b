import { cpuProfileSummary } from './bench/cpuProfileSummary.ts';
import { readdirSync } from 'node:fs';
for (const f of readdirSync('/tmp/prof')) { console.log(f); console.table(cpuProfileSummary('/tmp/prof/' + f, 10)); }
