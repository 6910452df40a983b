/** The Python original's figures measured side by side on this machine (gRPC + cloudpickle, no sandbox). */
export const ORIGINAL = { callP50Ms: 0.67, callP99Ms: 1.68, callsPerSecond: 1356, firstCallMs: 3.8 };

/** Issue 11's goals for calls and deploys. */
export const GOALS = {
  callsPerSecond: 3 * ORIGINAL.callsPerSecond,
  callP99Ms: ORIGINAL.callP99Ms,
  firstCallMs: 10,
  cachedDeployP50Ms: 5,
  fiftyModuleColdP50Ms: 30,
};

interface Row {
  what: string;
  measured: number;
  goal: string;
  met: boolean;
}

/** One transport's call and deploy figures against the goals, as table rows. */
export function callGoalRows(transport: string, r: Record<string, Record<string, unknown>>): Row[] {
  const n = (section: string, key: string): number => {
    const value = (r[section] as Record<string, unknown> | undefined)?.[key];
    return typeof value === 'number' ? value : Number.NaN;
  };
  const deploys = r.deployMs as unknown as Record<string, Record<string, number>>;
  const rows: Row[] = [
    { what: 'calls/s, sequential', measured: n('methodCallMs', 'callsPerSecond'), goal: `>= ${GOALS.callsPerSecond}` },
    { what: 'calls/s, 4 callers', measured: n('methodCallConcurrentMs', 'callsPerSecond'), goal: `>= ${GOALS.callsPerSecond}` },
    { what: 'call p99 ms, sequential', measured: n('methodCallMs', 'p99'), goal: `<= ${GOALS.callP99Ms}` },
    { what: 'call p99 ms, 4 callers', measured: n('methodCallConcurrentMs', 'p99'), goal: `<= ${GOALS.callP99Ms}` },
    { what: 'first call of a new class ms p50', measured: n('firstCallMs', 'newClassP50'), goal: `<= ${GOALS.firstCallMs}` },
    { what: 'cached deploy ms p50', measured: deploys.oneModule?.cachedP50 ?? Number.NaN, goal: `<= ${GOALS.cachedDeployP50Ms}` },
    { what: '50-module cold deploy ms p50', measured: deploys.fiftyModules?.coldP50 ?? Number.NaN, goal: `<= ${GOALS.fiftyModuleColdP50Ms}` },
  ].map((row) => {
    const [op, value] = row.goal.split(' ') as ['>=' | '<=', string];
    return { ...row, what: `${transport}: ${row.what}`, met: op === '>=' ? row.measured >= Number(value) : row.measured <= Number(value) };
  });
  return rows;
}
