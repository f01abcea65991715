import { behindKeyGate, connectionAllowedPath, devlakeRoutes, pluginPath } from './devlake-paths';

describe('DevLake paths', () => {
  it('serves each route under the plugin path and the /rest, /api/rest and /api prefixes', () => {
    expect(devlakeRoutes('connections')).toEqual([
      'plugins/developer_telemetry/connections',
      'rest/plugins/developer_telemetry/connections',
      'api/rest/plugins/developer_telemetry/connections',
      'api/plugins/developer_telemetry/connections',
    ]);
  });

  it.each([
    ['/api/rest/plugins/developer_telemetry/connections/3/report', true],
    ['/rest/plugins/developer_telemetry/connections/3/report?x=1', true],
    ['/api/plugins/developer_telemetry/connections/3/report', false],
    ['/plugins/developer_telemetry/connections/3/report', false],
  ])('puts %s behind the key gate: %s', (url, gated) => {
    expect(behindKeyGate(url)).toBe(gated);
    // Whatever the prefix, a key's allowedPath is matched against the plugin's own path.
    expect(pluginPath(url)).toBe('/plugins/developer_telemetry/connections/3/report');
    expect(new RegExp(`^${connectionAllowedPath(3)}$`).test(pluginPath(url))).toBe(true);
  });
});
