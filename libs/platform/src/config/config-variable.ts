import { isIP } from 'node:net';

/**
 * A typed environment variable: how to parse it, its default, and the line of documentation
 * that the README's table repeats. Parsing errors name the variable and the accepted values.
 */
export interface ConfigVariable<T> {
  readonly description: string;
  /** Shown in docs; `undefined` means the variable is optional and unset by default. */
  readonly defaultText: string;
  parse(raw: string | undefined): T;
}

export class ConfigValueError extends Error {}

/** A named set of variables: the platform's, or one domain's. */
export type ConfigVariables = Readonly<Record<string, ConfigVariable<unknown>>>;

/** The parsed, typed values of a set of variables. */
export type ConfigOf<V extends ConfigVariables> = { readonly [K in keyof V]: ReturnType<V[K]['parse']> };

export function stringVar(description: string, defaultValue: string): ConfigVariable<string> {
  return {
    description,
    defaultText: defaultValue === '' ? '(empty)' : defaultValue,
    parse: (raw) => (raw === undefined || raw === '' ? defaultValue : raw),
  };
}

export function optionalStringVar(
  description: string,
  shape?: { pattern: RegExp; expected: string },
): ConfigVariable<string | undefined> {
  return {
    description,
    defaultText: '(unset)',
    parse: (raw) => {
      if (raw === undefined || raw === '') return undefined;
      if (shape && !shape.pattern.test(raw)) throw new ConfigValueError(`must be ${shape.expected}`);
      return raw;
    },
  };
}

export function intVar(
  description: string,
  defaultValue: number,
  bounds: { min: number; max: number },
): ConfigVariable<number> {
  return {
    description,
    defaultText: String(defaultValue),
    parse(raw) {
      if (raw === undefined || raw === '') return defaultValue;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
        throw new ConfigValueError(`must be an integer from ${bounds.min} to ${bounds.max}, got "${raw}"`);
      }
      return value;
    },
  };
}

export function enumVar<const T extends string>(
  description: string,
  values: readonly T[],
  defaultValue: T,
): ConfigVariable<T> {
  return {
    description,
    defaultText: defaultValue,
    parse(raw) {
      if (raw === undefined || raw === '') return defaultValue;
      const value = raw.trim().toLowerCase();
      if (!(values as readonly string[]).includes(value)) {
        throw new ConfigValueError(`must be one of ${values.join(', ')}, got "${raw}"`);
      }
      return value as T;
    },
  };
}

export function listVar(description: string): ConfigVariable<string[]> {
  return {
    description,
    defaultText: '(unset)',
    parse: (raw) =>
      (raw ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
  };
}

/** A comma-separated list of IP addresses or CIDR ranges (trusted proxies). */
export function ipListVar(description: string): ConfigVariable<string[]> {
  const list = listVar(description);
  return {
    ...list,
    parse(raw) {
      const entries = list.parse(raw);
      for (const entry of entries) {
        const [address, prefix, ...rest] = entry.split('/');
        const family = isIP(address);
        const bits = family === 6 ? 128 : 32;
        const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
        if (family === 0 || !prefixOk || rest.length > 0) {
          throw new ConfigValueError(`must list IP addresses or CIDR ranges, got "${entry}"`);
        }
      }
      return entries;
    },
  };
}

/**
 * A comma-separated list of browser origins (`https://grafana.example.com`): scheme, host and an
 * optional port, nothing else. `*` is refused: these routes answer with what a key may read.
 */
export function originListVar(description: string): ConfigVariable<string[]> {
  const list = listVar(description);
  return {
    ...list,
    defaultText: '(empty)',
    parse(raw) {
      const entries = list.parse(raw);
      for (const entry of entries) {
        let origin: string | undefined;
        try {
          origin = new URL(entry).origin;
        } catch {
          origin = undefined;
        }
        if (origin !== entry) {
          throw new ConfigValueError(
            `must list origins such as https://grafana.example.com (no *, path or trailing /), got "${entry}"`,
          );
        }
      }
      return entries;
    },
  };
}

export function urlVar(description: string): ConfigVariable<URL | undefined> {
  return {
    description,
    defaultText: '(unset)',
    parse(raw) {
      if (raw === undefined || raw === '') return undefined;
      try {
        const url = new URL(raw);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
        return url;
      } catch {
        throw new ConfigValueError(`must be an http(s) URL such as http://localhost:8123, got "${raw}"`);
      }
    },
  };
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  sec: 1_000,
  second: 1_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

/** A duration in milliseconds, written as `3600000`, `30s`, `15 minutes` or `1 hour`. */
export function durationVar(description: string, defaultValue: string): ConfigVariable<number> {
  const parse = (raw: string): number => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
    const word = (match?.[2] || 'ms').toLowerCase();
    const unit = DURATION_UNITS[word] ?? DURATION_UNITS[word.replace(/s$/, '')];
    if (!match || unit === undefined || Number(match[1]) <= 0) {
      throw new ConfigValueError(`must be a duration such as 1 hour, 15 minutes or 30s, got "${raw}"`);
    }
    return Number(match[1]) * unit;
  };
  return {
    description,
    defaultText: defaultValue,
    parse: (raw) => parse(raw === undefined || raw === '' ? defaultValue : raw),
  };
}
