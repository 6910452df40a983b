/** What is wrong with a Redis URL, or undefined when it is usable. Never quotes the URL: it may carry a password. */
export function redisUrlProblem(raw: string): string | undefined {
  if (!URL.canParse(raw)) return 'not a URL';
  const url = new URL(raw);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `the scheme is ${url.protocol.slice(0, 16)}, not redis: or rediss:`;
  if (url.hostname === '') return 'no host';
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) return 'the path must be a database number (0-99) or empty';
  return undefined;
}

/** The URL as it may appear in logs and /status: the password (and a user name) replaced. */
export function redactRedisUrl(raw: string): string {
  if (!URL.canParse(raw)) return '(invalid redis URL)';
  const url = new URL(raw);
  if (url.password !== '') url.password = '***';
  if (url.username !== '') url.username = '***';
  return url.toString();
}
