// Node time of per-pixel effects, each way COMPUTE_VARIANTS runs them, interleaved round by round so that load on
// the shared machine falls on all variants alike. Times are of the node's own work on a frame already where it
// runs (for sandboxed variants: one guest call on a frame kept in the guest). Each sample has its wall time and the
// process's CPU time: on a machine shared with other work, wall time also holds the waits for a core.
import { performance } from 'node:perf_hooks';
import { COMPUTE_OPS, COMPUTE_SIZES, type ComputeRunner, type ComputeVariant } from './computeVariants.ts';
import { round, summarize } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_COMPUTE_ROUNDS ?? 30);
const WARMUP_RUNS = 3;

export interface ComputeRow {
  op: string;
  size: string;
  variant: string;
  label: string;
  n: number;
  p50: number;
  p99: number;
  /** p50 over variant a's p50. */
  ratioToA: number;
  /** CPU time of the process per frame (all its threads), median, and its ratio to variant a's. */
  cpuP50: number;
  cpuRatioToA: number;
}

export async function benchCompute(variants: readonly ComputeVariant[]): Promise<ComputeRow[]> {
  const rows: ComputeRow[] = [];
  for (const op of COMPUTE_OPS) {
    for (const [width, height] of COMPUTE_SIZES) {
      const runners: ComputeRunner[] = [];
      try {
        for (const variant of variants) runners.push(await variant.open(op, width, height));
        for (const runner of runners) for (let i = 0; i < WARMUP_RUNS; i++) await runner.run();
        const samples = variants.map((): number[] => []);
        const cpu = variants.map((): number[] => []);
        for (let r = 0; r < ROUNDS; r++) {
          for (let v = 0; v < variants.length; v++) {
            for (let s = 0; s < variants[v]!.samplesPerRound; s++) {
              const t = performance.now();
              const used = process.cpuUsage();
              await runners[v]!.run();
              samples[v]!.push(performance.now() - t);
              const spent = process.cpuUsage(used);
              cpu[v]!.push((spent.user + spent.system) / 1000);
            }
          }
        }
        const base = summarize(samples[0]!).p50;
        const cpuBase = summarize(cpu[0]!).p50;
        variants.forEach((variant, v) => {
          const { n, p50, p99 } = summarize(samples[v]!);
          const cpuP50 = summarize(cpu[v]!).p50;
          rows.push({
            op,
            size: `${width}x${height}`,
            variant: variant.id,
            label: variant.label,
            n,
            p50,
            p99,
            ratioToA: round(p50 / base, 2),
            cpuP50,
            cpuRatioToA: round(cpuP50 / cpuBase, 2),
          });
        });
      } finally {
        for (const runner of runners) runner.close();
      }
    }
  }
  return rows;
}

export function printComputeTable(rows: readonly ComputeRow[]): void {
  console.log('compute: node time per frame (ms), interleaved; wall time, and CPU time of the process');
  console.log(
    `${'op'.padEnd(11)} ${'size'.padEnd(8)} ${'variant'.padEnd(34)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'x(a)'.padStart(7)} ${'cpu p50'.padStart(9)} ${'x(a)'.padStart(7)}`,
  );
  for (const row of rows) {
    const variant = `${row.variant}) ${row.label}`;
    console.log(
      `${row.op.padEnd(11)} ${row.size.padEnd(8)} ${variant.padEnd(34)} ${row.p50.toFixed(3).padStart(9)} ${row.p99.toFixed(3).padStart(9)} ${row.ratioToA.toFixed(2).padStart(7)} ${row.cpuP50.toFixed(3).padStart(9)} ${row.cpuRatioToA.toFixed(2).padStart(7)}`,
    );
  }
}
