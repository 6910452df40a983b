import { loadConfig, redactRedisUrl } from '@remotemedia/edge-server/config';
import { describe, expect, it } from 'vitest';

describe('the Redis URL setting (cluster mode)', () => {
  it('is read from the flag or the environment, and absent by default (one edge on its own)', () => {
    expect(loadConfig([], {}).redisUrl).toBeUndefined();
    expect(loadConfig(['--redis', 'redis://127.0.0.1:6379'], {}).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig([], { REMOTEMEDIA_REDIS_URL: 'rediss://:pw@cache.internal:6380/2' }).redisUrl).toBe('rediss://:pw@cache.internal:6380/2');
  });

  it('refuses what is not a Redis URL without repeating the value (it may hold a password)', () => {
    for (const bad of ['http://user:s3cret-pass@host:6379', 'redis://:s3cret-pass@host:6379/not-a-db', 'not a url s3cret-pass']) {
      let message = '';
      try {
        loadConfig(['--redis', bad], {});
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^redisUrl \(--redis\) must be a redis:\/\/ or rediss:\/\/ URL such as redis:\/\/127\.0\.0\.1:6379: /);
      expect(message).not.toContain('s3cret-pass');
    }
  });

  it('is shown with its credentials replaced', () => {
    expect(redactRedisUrl('redis://:s3cret-pass@10.0.0.5:6379/1')).toBe('redis://:***@10.0.0.5:6379/1');
    expect(redactRedisUrl('redis://admin:s3cret-pass@10.0.0.5:6379')).toBe('redis://***:***@10.0.0.5:6379');
    expect(redactRedisUrl('redis://10.0.0.5:6379')).toBe('redis://10.0.0.5:6379');
  });

  it('--public-url takes an http(s) URL, without a trailing slash', () => {
    expect(loadConfig(['--public-url', 'https://edge-1.example.com/'], {}).publicUrl).toBe('https://edge-1.example.com');
    expect(() => loadConfig(['--public-url', 'ftp://edge-1.example.com'], {})).toThrow(
      /publicUrl \(--public-url\) must be an http:\/\/ or https:\/\/ URL/,
    );
  });
});
