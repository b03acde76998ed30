import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';

describe('loadConfig', () => {
  it('serves the embedded run with nothing set', () => {
    const config = loadConfig({}, '/srv/bt');
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: '/srv/bt/.data',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      TEMPORAL_NAMESPACE: 'default',
      DEMO_DATA: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads the project's own reference data, wherever it is started from, unless told otherwise", () => {
    const own = fileURLToPath(new URL('../reference/data', import.meta.url));
    expect(loadConfig({}, '/srv/bt').REFERENCE_DATA_DIR).toBe(own);
    expect(existsSync(`${own}/ods/etr.csv`)).toBe(true);
    expect(loadConfig({ REFERENCE_DATA_DIR: 'elsewhere/data' }, '/srv/bt').REFERENCE_DATA_DIR).toBe('/srv/bt/elsewhere/data');
  });

  it('names every bad variable at once', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', DEMO_DATA: 'maybe' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT:.*\n.*DATABASE_URL:.*\n.*DEMO_DATA:/s);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', SMTP_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('takes the worker metrics address as ip:port, and leaves it off unless set', () => {
    expect(loadConfig({}).TEMPORAL_METRICS_ADDRESS).toBeUndefined();
    expect(loadConfig({ TEMPORAL_METRICS_ADDRESS: '0.0.0.0:9464' }).TEMPORAL_METRICS_ADDRESS).toBe('0.0.0.0:9464');
    expect(loadConfig({ TEMPORAL_METRICS_ADDRESS: '[::1]:9464' }).TEMPORAL_METRICS_ADDRESS).toBe('[::1]:9464');
    for (const bad of ['9464', 'localhost:9464']) expect(() => loadConfig({ TEMPORAL_METRICS_ADDRESS: bad })).toThrow(/TEMPORAL_METRICS_ADDRESS: must be ip:port/);
  });
});
