/** One sample's value from the edge's /metrics, e.g. `remotemedia_connections_cut_off_total{reason="slow_consumer"}`; 0 when absent. */
export async function edgeMetric(url: string, sample: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = new RegExp(`^${sample.replace(/[{}"]/g, '\\$&')} (\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}
