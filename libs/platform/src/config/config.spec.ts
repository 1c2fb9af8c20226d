import { z } from 'zod';
import { ConfigError, PlatformEnv, parseConfig, serviceSchema, streamName } from './config';

describe('config', () => {
  test('defaults give a working local setup', () => {
    const env = parseConfig(PlatformEnv, {});
    expect(env).toMatchObject({ NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', NATS_SUBJECT_PREFIX: '' });
    expect(streamName(env)).toBe('DESK');
  });

  test('an invalid variable is one line naming it and its value', () => {
    expect(() => parseConfig(PlatformEnv, { NATS_URL: 'http://x' })).toThrow(ConfigError);
    try {
      parseConfig(PlatformEnv, { PORT: 'eighty' });
    } catch (e) {
      expect((e as Error).message).toMatch(/^config error: PORT is invalid \("eighty"\)/);
      expect((e as Error).message).not.toContain('\n');
    }
    expect.assertions(3);
  });

  test('a missing required variable of a service schema is named', () => {
    const ServiceEnv = PlatformEnv.extend({ WEBHOOK_SECRET: z.string().min(16) });
    expect(() => parseConfig(ServiceEnv, {})).toThrow('config error: WEBHOOK_SECRET is missing');
  });

  test('empty strings count as unset', () => {
    expect(parseConfig(PlatformEnv, { LOG_LEVEL: '' }).LOG_LEVEL).toBe('info');
  });

  test('a subject prefix derives an isolated stream name; schema names replace dashes', () => {
    const env = parseConfig(PlatformEnv, { NATS_SUBJECT_PREFIX: 'run42.', DB_SCHEMA_PREFIX: 'run42_' });
    expect(streamName(env)).toBe('DESK_run42');
    expect(serviceSchema(env, 'psa-writer')).toBe('run42_psa_writer');
    expect(() => parseConfig(PlatformEnv, { NATS_SUBJECT_PREFIX: 'run42' })).toThrow(/NATS_SUBJECT_PREFIX/);
  });
});
