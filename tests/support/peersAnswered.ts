/** The edge's count of data-channel offers answered, by SCTP chunk size (its /metrics). */
export async function peersAnswered(url: string): Promise<{ standard: number; large: number }> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const count = (label: string): number =>
    Number(new RegExp(`^remotemedia_peers_answered_total\\{sctp_chunks="${label}"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
  return { standard: count('standard'), large: count('large') };
}
