import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.CLICKHOUSE_URL).toBeUndefined();
    expect(config.BODY_LIMIT_BYTES).toBe(1_048_576);
  });

  it('parses typed values', () => {
    const config = loadConfig({ PORT: '9000', CLICKHOUSE_URL: 'http://ch:8123', LOG_FORMAT: 'TEXT' });
    expect(config.PORT).toBe(9000);
    expect(config.CLICKHOUSE_URL?.host).toBe('ch:8123');
    expect(config.LOG_FORMAT).toBe('text');
  });

  it('reads durations in the forms operators write them', () => {
    expect(loadConfig({}).RATE_LIMIT_TIME_WINDOW).toBe(3_600_000);
    expect(loadConfig({ RATE_LIMIT_TIME_WINDOW: '15 minutes' }).RATE_LIMIT_TIME_WINDOW).toBe(900_000);
    expect(loadConfig({ RATE_LIMIT_TIME_WINDOW: '30s' }).RATE_LIMIT_TIME_WINDOW).toBe(30_000);
    expect(loadConfig({ RATE_LIMIT_TIME_WINDOW: '2500' }).RATE_LIMIT_TIME_WINDOW).toBe(2_500);
    expect(() => loadConfig({ RATE_LIMIT_TIME_WINDOW: 'soon' })).toThrow(
      'RATE_LIMIT_TIME_WINDOW must be a duration',
    );
  });

  it('names every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', CLICKHOUSE_URL: 'ftp://x', LOG_LEVEL: 'loud' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ PORT: 'eighty', CLICKHOUSE_URL: 'ftp://x', LOG_LEVEL: 'loud' });
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT must be an integer');
      expect(problems).toContain('CLICKHOUSE_URL must be an http(s) URL');
      expect(problems).toContain('LOG_LEVEL must be one of');
    }
  });

  it('takes a ClickHouse cluster name only with a server to reach it', () => {
    expect(
      loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: '{cluster}' }).CLICKHOUSE_CLUSTER,
    ).toBe('{cluster}');
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'hub' })).toThrow(
      'CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL',
    );
    expect(() => loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: "hub' --" })).toThrow(
      'CLICKHOUSE_CLUSTER must be a cluster name',
    );
  });
});
