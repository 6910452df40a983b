// One tenant running one attack, in its own process so its CPU and memory are not the victim's:
//   node --import tsx tests/bench/abuse/attacker.ts <attack> <edge url> <window ms>
// Prints READY when the attack proper runs, then SUMMARY <json> with what it counted.
import type { AttackContext } from './Attack.ts';
import { ATTACKS } from './attacks/index.ts';

const [name, url, windowArg] = process.argv.slice(2);
const attack = ATTACKS.find((candidate) => candidate.name === name);
if (attack === undefined || url === undefined) {
  process.stderr.write(`usage: attacker.ts <${ATTACKS.map((a) => a.name).join('|')}> <url> <window ms>\n`);
  process.exit(2);
}
const windowMs = Number(windowArg ?? 8000);
const counts: Record<string, number> = {};
const count = (what: string, n = 1): void => {
  counts[what] = (counts[what] ?? 0) + n;
};
// Attacks poke at sockets in ways that make libraries throw from callbacks; an attacker keeps going.
process.on('uncaughtException', (error) => count(`attacker exception: ${String(error.message).slice(0, 60)}`));
process.on('unhandledRejection', (error) => count(`attacker rejection: ${String((error as Error)?.message ?? error).slice(0, 60)}`));

const controller = new AbortController();
let readyAt: number | undefined;
const context: AttackContext = {
  url,
  signal: controller.signal,
  ready() {
    if (readyAt !== undefined) return;
    readyAt = Date.now();
    process.stdout.write('READY\n');
    setTimeout(() => controller.abort(), windowMs);
  },
  count,
};

const finish = (): never => {
  process.stdout.write(`SUMMARY ${JSON.stringify({ counts, setupMs: readyAt === undefined ? null : readyAt - started })}\n`);
  process.exit(0);
};
const started = Date.now();
// Calls still in flight when the window ends (a pinned worker, a 30 s request timeout) do not hold the summary up.
controller.signal.addEventListener('abort', () => setTimeout(finish, 4000).unref());
attack.run(context).then(finish, (error: unknown) => {
  count(`attack failed: ${String((error as Error)?.message ?? error).slice(0, 100)}`);
  finish();
});
