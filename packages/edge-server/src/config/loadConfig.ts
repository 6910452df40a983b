import { isIPv4 } from 'node:net';
import { ErrorCode, RemoteMediaError, closestNames } from '@remotemedia/shared';
import { LOG_LEVELS } from '../log/Logger.ts';
import type { EdgeConfig } from './EdgeConfig.ts';
import { redisUrlProblem } from '../cluster/redisUrl.ts';
import { parseIceServers } from './parseIceServers.ts';
import { readConfigFile } from './readConfigFile.ts';
import { defaultConfig, SETTINGS, type SettingSpec } from './settings.ts';

/** A setting with a bad value; the message names the setting, where it came from and what is accepted. */
export class ConfigError extends RemoteMediaError {
  constructor(message: string) {
    super(ErrorCode.InvalidConfig, message);
    this.name = 'ConfigError';
  }
}

function accepted(spec: SettingSpec): string {
  switch (spec.type) {
    case 'integer':
      return `an integer from ${spec.min} to ${spec.max}`;
    case 'level':
      return `one of ${LOG_LEVELS.join(', ')}`;
    case 'list':
      return 'a comma-separated list';
    case 'string':
      return 'a non-empty string';
    case 'ipv4':
      return 'an IPv4 address such as 192.0.2.10';
    case 'iceServers':
      return 'a JSON array of {"urls", "username", "credential"} objects (RTCIceServer)';
    case 'redisUrl':
      return 'a redis:// or rediss:// URL such as redis://127.0.0.1:6379';
    case 'httpUrl':
      return 'an http:// or https:// URL such as https://edge-1.example.com';
  }
}

function parseValue(spec: SettingSpec, raw: unknown, source: string): unknown {
  const fail = (): never => {
    throw new ConfigError(`${spec.key} (${source}) must be ${accepted(spec)}, got ${JSON.stringify(raw)}`);
  };
  switch (spec.type) {
    case 'integer': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < spec.min! || value > spec.max!) fail();
      return value;
    }
    case 'level':
      if (typeof raw !== 'string' || !(LOG_LEVELS as readonly string[]).includes(raw)) fail();
      return raw;
    case 'list':
      if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw;
      if (typeof raw !== 'string') fail();
      return (raw as string)
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
    case 'string':
      if (typeof raw !== 'string' || raw.length === 0) fail();
      return raw;
    case 'ipv4':
      if (typeof raw !== 'string' || !isIPv4(raw.trim())) fail();
      return (raw as string).trim();
    case 'iceServers': {
      const servers = parseIceServers(raw);
      if ('problem' in servers) throw new ConfigError(`${spec.key} (${source}) must be ${accepted(spec)}: ${servers.problem}`);
      return servers;
    }
    case 'redisUrl': {
      // The value may hold a password: the message shows only what was wrong, never the value.
      const problem = typeof raw === 'string' ? redisUrlProblem(raw) : 'not a string';
      if (problem !== undefined) throw new ConfigError(`${spec.key} (${source}) must be ${accepted(spec)}: ${problem}`);
      return raw;
    }
    case 'httpUrl':
      if (typeof raw !== 'string' || !URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) fail();
      return (raw as string).replace(/\/+$/, '');
  }
}

/** Settings that are only meaningful together, checked once every source has been applied. */
function checkCombinations(config: EdgeConfig): void {
  const { iceMinPort: min, iceMaxPort: max } = config;
  if ((min !== 0 || max !== 0) && !(min >= 1 && min < max)) {
    throw new ConfigError(
      `iceMinPort and iceMaxPort must both be 0 (any free port) or both set with iceMinPort < iceMaxPort (werift needs at least two ports), got ${min} and ${max}`,
    );
  }
  if (config.iceAnnouncedIp === '0.0.0.0') {
    throw new ConfigError('iceAnnouncedIp must be an address clients can reach, got 0.0.0.0');
  }
}

/** `--name value` and `--name=value` pairs; anything else is an error naming the argument. */
function parseFlags(args: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"; settings are --name value`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new ConfigError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return flags;
}

/**
 * Builds the edge's configuration: defaults, then the config file (`--config` or REMOTEMEDIA_CONFIG), then
 * environment variables, then flags; each later source wins. Unknown flags and file keys are errors, so a
 * typo cannot silently leave a limit at its default.
 */
export function loadConfig(args: string[], env: NodeJS.ProcessEnv = process.env): EdgeConfig {
  const flags = parseFlags(args);
  const config = defaultConfig() as unknown as Record<string, unknown>;
  const configFlag = flags.get('config');
  const configPath = configFlag ?? env.REMOTEMEDIA_CONFIG;
  flags.delete('config');
  if (configPath !== undefined) {
    const read = readConfigFile(configPath, configFlag === undefined ? 'REMOTEMEDIA_CONFIG' : '--config');
    if ('problem' in read) throw new ConfigError(read.problem);
    const file = read.value;
    if (typeof file !== 'object' || file === null || Array.isArray(file)) {
      throw new ConfigError(`config file ${configPath} must hold a JSON object of settings`);
    }
    for (const [key, raw] of Object.entries(file)) {
      const spec = SETTINGS.find((s) => s.key === key);
      if (spec === undefined) {
        const keys = SETTINGS.map((s) => s.key);
        const [closest] = closestNames(key, keys, 1);
        const hint = closest === undefined ? `known: ${keys.join(', ')}` : `did you mean "${closest}"?`;
        throw new ConfigError(`config file ${configPath}: unknown setting "${key}"; ${hint}`);
      }
      config[key] = parseValue(spec, raw, `config file ${configPath}`);
    }
  }
  for (const spec of SETTINGS) {
    const raw = env[spec.env];
    if (raw !== undefined && raw !== '') config[spec.key] = parseValue(spec, raw, `environment ${spec.env}`);
  }
  for (const [name, raw] of flags) {
    const spec = SETTINGS.find((s) => s.flag === name);
    if (spec === undefined) {
      const [closest] = closestNames(name, ['config', ...SETTINGS.map((s) => s.flag)], 1);
      throw new ConfigError(`unknown flag --${name}; ${closest === undefined ? 'run with --help for the list' : `did you mean --${closest}?`}`);
    }
    config[spec.key] = parseValue(spec, raw, `--${name}`);
  }
  const loaded = config as unknown as EdgeConfig;
  // Node refuses a header deadline past the whole request's.
  if (loaded.headersTimeoutMs > loaded.requestTimeoutMs) {
    throw new ConfigError(`headersTimeoutMs (${loaded.headersTimeoutMs}) must not exceed requestTimeoutMs (${loaded.requestTimeoutMs})`);
  }
  checkCombinations(loaded);
  return loaded;
}

/** The settings part of `serve --help`: every setting with its flag, environment variable and default. */
export function settingsHelp(): string {
  return SETTINGS.map((spec) => {
    const fallback: unknown = spec.default;
    const empty = fallback === undefined || (Array.isArray(fallback) && fallback.length === 0);
    const shown = empty
      ? (spec.shownDefault ?? (fallback === undefined ? 'unset' : 'any'))
      : Array.isArray(fallback)
        ? fallback.join(',')
        : String(fallback);
    return `  --${spec.flag.padEnd(27)} ${spec.env.padEnd(38)} ${spec.description} [${shown}]`;
  }).join('\n');
}
