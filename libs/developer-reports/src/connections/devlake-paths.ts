/** Where the DevLake plugin's routes live, as DevLake serves them. */
const PLUGIN_PATH = 'plugins/developer_telemetry';

/**
 * The prefixes DevLake installations reach the plugin through: none (the plugin's own path),
 * `/rest` (DevLake's open API, behind its API-key gate), and DevLake's UI proxy `/api` in front of
 * either. The collector's docs give `/api/rest/...`; its config template `/api/...`.
 */
const PREFIXES = ['', 'rest/', 'api/rest/', 'api/'] as const;

/** One route of the plugin under every prefix, for a controller's paths. */
export function devlakeRoutes(path: string): string[] {
  return PREFIXES.map((prefix) => `${prefix}${PLUGIN_PATH}/${path}`);
}

/** The request's path as DevLake's gate reads it: without the query and the UI's `/api`. */
function gatePath(url: string): string {
  const path = url.split('?')[0];
  return path.startsWith('/api/') ? path.slice('/api'.length) : path;
}

/** True when DevLake would ask for an API key: the path is under `/rest` (after `/api`). */
export function behindKeyGate(url: string): boolean {
  return gatePath(url).startsWith('/rest/');
}

/** The path an API key's `allowedPath` is matched against: the plugin's own (no `/api`, no `/rest`). */
export function pluginPath(url: string): string {
  const path = gatePath(url);
  return path.startsWith('/rest/') ? path.slice('/rest'.length) : path;
}

/** What a connection's API key may reach, in DevLake's form: that connection's routes only. */
export function connectionAllowedPath(connectionId: number): string {
  return `/${PLUGIN_PATH}/connections/${connectionId}/.*`;
}
