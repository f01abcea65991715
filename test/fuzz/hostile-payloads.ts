import { deflateSync, gzipSync } from 'node:zlib';
import * as fc from 'fast-check';
// The contracts' own files, not the libs' indexes: this corpus also runs in a worker thread
// (see run-fuzz.ts), where loading the whole app a second time would cost seconds and a store.
import { JWC_LIMITS, JWC_SCHEMA } from '../../libs/app-events/src/contract/jwc-event.schema';
import { DEVELOPER_REPORT_LIMITS } from '../../libs/developer-reports/src/contract/developer-report.schema';
import { MAX_BODY_DEPTH } from '../../libs/platform/src/http/json-body';

/**
 * The fuzz corpus: fast-check arbitraries of malformed and hostile payloads for the two ingest
 * inputs (`POST /t` jwc.v1 events and DevLake daily reports), and of the valid neighbours sent in
 * the same window. Every arbitrary is pure: the same seed gives the same corpus.
 */

/** One HTTP request of the corpus, input-independent: the runner adds the URL. */
export interface HostileBody {
  /** The generator branch that produced it, for the figures and failure reports. */
  kind: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET';
  /** Text is sent as UTF-8; bytes as they are (a Uint8Array gets no default Content-Type). */
  body: string | Uint8Array | undefined;
  headers: Record<string, string>;
  /** Appended to the route's path: a query string or a path variation. */
  pathSuffix: string;
  /** The body is larger than the server's body limit: it may be cut off mid-send with a 413. */
  oversize: boolean;
}

/** The server's default body limit (BODY_LIMIT_BYTES); bodies above it are answered 413. */
export const BODY_LIMIT_BYTES = 1_048_576;
/** The default JWC_MAX_BATCH. */
export const JWC_MAX_BATCH = 1_000;

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Raw JSON text inside generated values
// ---------------------------------------------------------------------------------------------

/**
 * A string value standing for raw JSON text: `toJsonText` writes it unquoted. This is how the
 * corpus sends number literals no JS value serialises to (`1e400` parses to Infinity, `-0`, 400
 * digits) inside otherwise generated objects.
 */
const RAW = '\u0000RAW:';
const raw = (text: string): string => `${RAW}${text}\u0000`;
const RAW_IN_JSON = /"\\u0000RAW:([^"\\]*)\\u0000"/g;

/** JSON text of a generated value, with `raw(...)` markers written as raw JSON. */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.includes('\\u0000RAW:') ? text.replace(RAW_IN_JSON, '$1') : text;
}

// ---------------------------------------------------------------------------------------------
// Hostile scalars
// ---------------------------------------------------------------------------------------------

/** Dates that do not exist, lie outside the store's Date range, or are written almost right. */
export const IMPOSSIBLE_DATES = [
  '2026-02-30',
  '2026-02-29',
  '2025-02-29',
  '2100-02-29',
  '2026-04-31',
  '0000-00-00',
  '9999-12-31',
  '1900-01-01',
  '1899-12-31',
  '1969-12-31',
  '1970-01-01',
  '2106-02-07',
  '2149-06-06',
  '2149-06-07',
  '2299-12-31',
  '2026-13-01',
  '2026-00-10',
  '2026-01-00',
  '2026-01-32',
  '99999-01-01',
  '-0001-01-01',
  '+002026-01-01',
  '2026-1-1',
  '20260101',
  '2026/01/01',
  '01/02/2026',
  '2026-01-01T25:00:00Z',
  '2026-01-01T23:60:00Z',
  '2026-01-01T23:59:60Z',
  '2026-02-30T00:00:00Z',
  '0000-00-00T00:00:00Z',
  '0000-00-00 00:00:00',
  '9999-12-31T23:59:59.999999999Z',
  '2026-01-01T00:00:00+99:99',
  '2026-01-01T00:00:00-24:00',
  '2026-01-01T00:00:00+2400',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '2026-W05-3',
  '2026-032',
  '２０２６-０１-０１',
];

/** Strings numbers are sometimes parsed from. */
export const NAN_LIKE = [
  'NaN',
  'nan',
  '-NaN',
  'Infinity',
  '-Infinity',
  '+Infinity',
  '1e309',
  '-1e309',
  '1e12',
  '1.7e12',
  '0x1F',
  '0b101',
  '0o17',
  '1_000',
  '١٢٣',
  '１２３',
  ' 1767225600000 ',
  '1767225600000\n',
  '\t946684800',
  '-0',
  '0',
  '00000000000000000000001',
  '9'.repeat(400),
  `0.${'0'.repeat(400)}1`,
  '',
  ' ',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
];

/** Numbers at and past every boundary a timestamp, a count or an hour figure has. */
export const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  1e-300,
  5e-324,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER,
  2 ** 31,
  2 ** 32,
  2 ** 63,
  2 ** 64,
  8.64e15,
  8.64e15 + 1,
  1e12 - 1,
  1e12,
  999_999_999_999.999,
  946_684_799_999,
  946_684_800_000,
  946_684_799,
  4_294_967_295,
  4_294_967_296,
  253_402_300_800_000,
  24,
  24.000001,
  -0.000001,
];

/** Number literals that only exist as text: Infinity, -0, more digits than a double holds. */
const RAW_NUMBERS = [
  '1e400',
  '-1e400',
  '-0',
  '-0.0',
  '1E+2',
  '1e-400',
  `1${'0'.repeat(400)}`,
  '123456789012345678901234567890',
  '0.1e1',
];

const SPECIAL_STRINGS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  "'; DROP TABLE app_events; --",
  '{evt:String}',
  '\\N',
  'NULL',
  '%s%s%s%n',
  '${7*7}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  'a\u0000b',
  '\u0000',
  '\u202e\u0644\u0627',
  '\u200b',
  '\ufeff',
  '\u00a0',
  '\u2028\u2029',
  '\t\n\r',
  'Z͑ͫ̓ͪ̂ͫ̽͏̴̙̤̞͉͚̯̞̠͍A̴̵̜̰͔ͫ͗͢L̠ͨͧͩ͘G̴̻͈͍͔̹̑͗̎̅͛́Ǫ̵̹̻̝̳͂̌̌͘',
  '😀'.repeat(40),
  'é'.repeat(64),
];

/** Units for strings: any code point, or a lone half of a surrogate pair (invalid UTF-16). */
const LONE_SURROGATE = fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D');
const anyUnit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: LONE_SURROGATE },
);

/** A long string built by repetition (so the generator stays fast at 100 KB). */
const longString = (min: number, max: number) =>
  fc
    .record({
      unit: fc.constantFrom('a', ' ', 'é', '😀', '"', '\\', '\u0000', '\uD800', '\n', '0'),
      length: fc.integer({ min, max }),
    })
    .map(({ unit, length }) => unit.repeat(Math.ceil(length / unit.length)));

/** Exactly at and one past each string bound of the two contracts. */
const boundaryString = fc
  .constantFrom(
    JWC_LIMITS.anonLength,
    JWC_LIMITS.evtLength,
    JWC_LIMITS.labelLength,
    JWC_LIMITS.idLength,
    DEVELOPER_REPORT_LIMITS.textLength,
    DEVELOPER_REPORT_LIMITS.developerLength,
    64,
    128,
  )
  .chain((limit) => fc.tuple(fc.constantFrom(limit, limit + 1), fc.constantFrom('x', '😀', 'é', ' ')))
  .map(([length, unit]) => unit.repeat(length));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...IMPOSSIBLE_DATES, ...NAN_LIKE, ...SPECIAL_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: anyUnit, maxLength: 40 }) },
  { weight: 2, arbitrary: boundaryString },
  { weight: 1, arbitrary: longString(300, 5_000) },
  { weight: 1, arbitrary: fc.string({ unit: LONE_SURROGATE, minLength: 1, maxLength: 4 }) },
);

export const hostileNumber: fc.Arbitrary<number | string> = fc.oneof(
  fc.constantFrom(...EDGE_NUMBERS),
  fc.constantFrom(...RAW_NUMBERS).map(raw),
  fc.double(),
  fc.integer(),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 7),
);

/** `{"a":{"a":...leaf...}}`, `depth` levels of objects or arrays. */
function nest(depth: number, leaf: unknown, arrays = false): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
}

/** A value of any JSON type, mostly wrong for whatever field receives it. Nests at most 24 levels. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}, [null], { '': null }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  {
    weight: 1,
    arbitrary: fc
      .record({ depth: fc.integer({ min: 2, max: 24 }), arrays: fc.boolean(), leaf: hostileNumber })
      .map(({ depth, arrays, leaf }) => nest(depth, leaf, arrays)),
  },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 20 }) },
);

// ---------------------------------------------------------------------------------------------
// Objects with hostile keys
// ---------------------------------------------------------------------------------------------

/** Keys that mean something to JS objects (the body parser refuses `__proto__`, not these). */
const PROTOTYPE_KEYS = [
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
];

const hostileKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, '', ' ', 'a.b', 'a\u0000b', '\uD800', 'duration_ms', 'm', 'evt'),
  fc.string({ unit: anyUnit, maxLength: 20 }),
  boundaryString,
);

/** An object with `count` keys, built directly (fc.dictionary of 10,000 keys is slow). */
const manyKeys = (min: number, max: number) =>
  fc
    .record({ count: fc.integer({ min, max }), value: fc.constantFrom<unknown>(1, 'v', null, true, {}) })
    .map(({ count, value }) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, value])));

// ---------------------------------------------------------------------------------------------
// jwc.v1 events (POST /t)
// ---------------------------------------------------------------------------------------------

/** A valid event time near `now`: Unix ms, Unix seconds or ISO-8601. */
const recentTime = (now: number, spanMs: number) =>
  fc
    .record({ ago: fc.integer({ min: 60_000, max: spanMs }), form: fc.constantFrom('ms', 's', 'iso') })
    .map(({ ago, form }) => {
      const at = now - ago;
      return form === 'ms' ? at : form === 's' ? Math.floor(at / 1000) : new Date(at).toISOString();
    });

/** Any Unicode text (no lone surrogates): what a valid client may send in a free-text field. */
const anyText = (minLength: number, maxLength: number) => fc.string({ unit: 'binary', minLength, maxLength });

const label = fc.oneof(
  fc.constantFrom('linux', 'Darwin', 'Windows_NT', '1.0.0', '2.3.4-beta.1', '1.74.0'),
  anyText(1, 20),
);

/** Metadata a real client might send: at most 8 keys, 3 levels, no `__proto__` or `constructor`. */
const plainMeta = fc.dictionary(
  fc
    .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 16 })
    .filter((k) => !PROTOTYPE_KEYS.includes(k) && k !== '__proto__'),
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('x', 'y', 'z'), fc.integer(), { maxKeys: 3, noNullPrototype: true }),
  ),
  { maxKeys: 8, noNullPrototype: true },
);

/** A valid jwc.v1 event without `evt` (the runner sets a unique marker there). */
export interface JwcNeighbourContent {
  anon: string;
  t: number | string;
  os?: string;
  ext?: string;
  vscode?: string;
  m?: Record<string, unknown>;
}

/** Valid neighbours: realistic content, times within the last hour (the runner adds evt and id). */
export const validJwcContent = (now: number): fc.Arbitrary<JwcNeighbourContent> =>
  fc.record(
    {
      anon: anyText(1, 40),
      t: recentTime(now, 3_600_000),
      os: label,
      ext: label,
      vscode: label,
      m: fc.oneof(
        plainMeta,
        fc.integer({ min: 0, max: 60_000 }).map((ms) => ({ duration_ms: ms, feature: 'fuzz' })),
      ),
    },
    { requiredKeys: ['anon', 't'] },
  );

const JWC_FIELDS = ['anon', 'evt', 't', 'os', 'ext', 'vscode', 'm', 'id', 'schema'] as const;

/**
 * A valid-looking base event, for mutations, in the last two days: the store partitions by month,
 * and events spread over years make every insert slow (that case has a branch of its own).
 */
const baseJwcEvent = (now: number, earliest = now - 2 * DAY_MS) =>
  fc.record({
    anon: fc.string({ minLength: 1, maxLength: 12 }),
    evt: fc.string({ minLength: 1, maxLength: 12 }).map((s) => `fz.${s}`),
    t: fc.integer({ min: earliest, max: now + DAY_MS }),
    m: fc.option(plainMeta, { nil: undefined }),
  });

/** Times wrong in every way a client gets them wrong. */
const hostileTime = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...IMPOSSIBLE_DATES) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...EDGE_NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_NUMBERS).map(raw) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(...NAN_LIKE) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -1e15, max: 1e16 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom('', 'T00:00:00Z', 'T12:30:00.123456789+05:30', ' 23:59'),
      )
      .map(
        ([y, m, d, time]) =>
          `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${time}`,
      ),
  },
  { weight: 1, arbitrary: hostileValue },
);

/** `m` past every bound: depth, keys, bytes, wrong types, odd keys, hostile duration_ms. */
const hostileMeta = fc.oneof(
  fc
    .integer({ min: JWC_LIMITS.metadataDepth, max: 24 })
    .chain((depth) => fc.tuple(fc.constant(depth), fc.boolean()))
    .map(([depth, arrays]) => nest(depth, 1, arrays)),
  manyKeys(JWC_LIMITS.metadataKeys - 1, 400),
  longString(JWC_LIMITS.metadataBytes - 20, JWC_LIMITS.metadataBytes + 200).map((blob) => ({ blob })),
  hostileValue.map((duration_ms) => ({ duration_ms })),
  fc.dictionary(hostileKey, hostileValue, { maxKeys: 10, noNullPrototype: true }),
  hostileValue,
);

export type HijackVariant = 'other-content' | 'other-day' | 'same-content';

/**
 * One event of a `/t` batch, hostile at the event level: each may be rejected on its own, but none
 * is meant to fail the whole request (no `__proto__`, nesting under the body's 32 levels). Some are
 * valid (spread over 26 years of partitions, or sharing a few client ids), to stress the store.
 */
export const hostileJwcEvent = (now: number): fc.Arbitrary<unknown> => {
  const base = baseJwcEvent(now);
  return fc.oneof(
    // One field replaced with a hostile value.
    {
      weight: 6,
      arbitrary: fc
        .tuple(base, fc.constantFrom(...JWC_FIELDS), hostileValue)
        .map(([event, field, value]) => ({ ...event, [field]: value })),
    },
    // A required field missing.
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.constantFrom('anon', 'evt', 't'))
        .map(([event, field]) => Object.fromEntries(Object.entries(event).filter(([k]) => k !== field))),
    },
    { weight: 4, arbitrary: fc.tuple(base, hostileTime).map(([event, t]) => ({ ...event, t })) },
    { weight: 4, arbitrary: fc.tuple(base, hostileMeta).map(([event, m]) => ({ ...event, m })) },
    // Unknown fields: many, odd, nested.
    {
      weight: 1,
      arbitrary: fc.tuple(base, manyKeys(1, 2_000)).map(([event, extra]) => ({ ...extra, ...event })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.dictionary(hostileKey, hostileValue, { maxKeys: 6, noNullPrototype: true }))
        .map(([event, extra]) => ({ ...extra, ...event })),
    },
    { weight: 1, arbitrary: base },
    // Valid events in up to 26 years of monthly partitions (one batch once failed its neighbours).
    { weight: 1, arbitrary: baseJwcEvent(now, Date.UTC(2000, 0, 1)) },
    // Client ids shared between hostile events, with different contents.
    {
      weight: 2,
      arbitrary: fc
        .tuple(base, fc.integer({ min: 0, max: 7 }))
        .map(([event, n]) => ({ ...event, id: `fz-dup-${n}` })),
    },
    // Not an object at all.
    { weight: 1, arbitrary: fc.oneof(hostileValue, fc.jsonValue({ maxDepth: 5 })) },
  );
};

// ---------------------------------------------------------------------------------------------
// DevLake daily reports
// ---------------------------------------------------------------------------------------------

/** A valid report without `developer` (the runner sets a unique marker there). */
export interface ReportNeighbourContent {
  date: string;
  email?: string;
  name?: string;
  hostname?: string;
  os_info?: string;
  metrics: {
    active_hours?: number;
    tools_used?: string[];
    projects?: string[];
    commands?: Record<string, number>;
  };
}

const isoDay = (millis: number) => new Date(millis).toISOString().slice(0, 10);

const shortText = fc.string({ unit: 'binary', maxLength: 40 });
const commandName = fc
  .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 16 })
  .filter((k) => !PROTOTYPE_KEYS.includes(k) && k !== '__proto__');

/** Valid neighbours: today or one of the 6 days before it. */
export const validReportContent = (now: number): fc.Arbitrary<ReportNeighbourContent> =>
  fc.record(
    {
      date: fc.integer({ min: 0, max: 6 }).map((days) => isoDay(now - days * DAY_MS)),
      email: shortText,
      name: shortText,
      hostname: shortText,
      os_info: shortText,
      metrics: fc.record(
        {
          active_hours: fc.integer({ min: 0, max: 96 }).map((quarters) => quarters / 4),
          tools_used: fc.array(shortText, { maxLength: 5 }),
          projects: fc.array(shortText, { maxLength: 5 }),
          commands: fc.dictionary(commandName, fc.integer({ min: 0, max: 1_000 }), {
            maxKeys: 6,
            noNullPrototype: true,
          }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['date', 'metrics'] },
  );

/** A valid-looking base report, for mutations, in the last 30 days (older ones: a branch of their own). */
const baseReport = (now: number, days = 30) =>
  fc.record({
    date: fc.integer({ min: 0, max: days }).map((ago) => isoDay(now - ago * DAY_MS)),
    developer: fc.string({ minLength: 1, maxLength: 12 }).map((s) => `fz-${s}`),
    email: fc.constant('dev@example.com'),
    metrics: fc.record({
      active_hours: fc.integer({ min: 0, max: 24 }),
      tools_used: fc.constant(['go', 'vscode']),
      commands: fc.constant({ git: 3 }),
    }),
  });

const REPORT_FIELDS = ['date', 'developer', 'email', 'name', 'hostname', 'os_info', 'metrics'] as const;
const METRIC_FIELDS = ['active_hours', 'tools_used', 'projects', 'commands'] as const;

const hostileDate = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...IMPOSSIBLE_DATES) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
      )
      .map(
        ([y, m, d]) =>
          `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      ),
  },
  // Real dates at the edges of, and outside, the store's Date range (1970 to 2149).
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: Date.parse('0001-01-01T00:00:00Z'), max: Date.parse('9999-12-31T00:00:00Z') })
      .map((millis) => new Date(millis).toISOString().slice(0, 10))
      .filter((day) => /^\d{4}-\d{2}-\d{2}$/.test(day)),
  },
  { weight: 1, arbitrary: hostileValue },
);

const hostileMetric = fc.oneof(
  fc.tuple(fc.constantFrom(...METRIC_FIELDS), hostileValue),
  fc.tuple(fc.constant('active_hours'), hostileNumber),
  fc.tuple(fc.constant('commands'), manyKeys(DEVELOPER_REPORT_LIMITS.commandNames - 2, 3_000)),
  fc.tuple(
    fc.constant('commands'),
    fc.dictionary(fc.oneof(hostileKey, commandName), hostileNumber, { maxKeys: 8, noNullPrototype: true }),
  ),
  fc.tuple(
    fc.constantFrom('tools_used', 'projects'),
    fc
      .record({
        length: fc.integer({
          min: DEVELOPER_REPORT_LIMITS.listItems - 1,
          max: DEVELOPER_REPORT_LIMITS.listItems + 500,
        }),
        item: fc.oneof(boundaryString, fc.string({ unit: anyUnit, maxLength: 20 })),
      })
      .map(({ length, item }) => Array.from({ length }, () => item)),
  ),
  fc.tuple(fc.constantFrom('tools_used', 'projects'), fc.array(hostileValue, { maxLength: 10 })),
);

/**
 * One DevLake report body value, hostile at the field level (the runner sends each on its own).
 * Some are valid: they exercise the latest-wins row and the date checks.
 */
export const hostileReport = (now: number): fc.Arbitrary<unknown> => {
  const base = baseReport(now);
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(base, fc.constantFrom(...REPORT_FIELDS), hostileValue)
        .map(([report, field, value]) => ({ ...report, [field]: value })),
    },
    { weight: 4, arbitrary: fc.tuple(base, hostileDate).map(([report, date]) => ({ ...report, date })) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(base, hostileMetric)
        .map(([report, [field, value]]) => ({ ...report, metrics: { ...report.metrics, [field]: value } })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.constantFrom('date', 'developer', 'metrics'))
        .map(([report, field]) => Object.fromEntries(Object.entries(report).filter(([k]) => k !== field))),
    },
    // Unknown fields: many, odd, nested up to the body's limit.
    {
      weight: 1,
      arbitrary: fc.tuple(base, manyKeys(1, 3_000)).map(([report, extra]) => ({ ...extra, ...report })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.integer({ min: 2, max: MAX_BODY_DEPTH - 1 }), hostileValue)
        .map(([report, depth, leaf]) => ({ ...report, extra: nest(depth, leaf) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.dictionary(hostileKey, hostileValue, { maxKeys: 6, noNullPrototype: true }))
        .map(([report, extra]) => ({ ...extra, ...report })),
    },
    { weight: 1, arbitrary: base },
    // Valid reports over ten years of monthly partitions.
    { weight: 1, arbitrary: baseReport(now, 3_650) },
    { weight: 1, arbitrary: fc.oneof(hostileValue, fc.jsonValue({ maxDepth: 5 })) },
  );
};

// ---------------------------------------------------------------------------------------------
// Whole bodies: transport, syntax, shape (shared by both inputs)
// ---------------------------------------------------------------------------------------------

const request = (
  kind: string,
  body: string | Uint8Array | undefined,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  extra: Partial<Pick<HostileBody, 'method' | 'pathSuffix' | 'oversize'>> = {},
): HostileBody => ({
  kind,
  method: extra.method ?? 'POST',
  body,
  headers,
  pathSuffix: extra.pathSuffix ?? '',
  oversize: extra.oversize ?? false,
});

const json = (kind: string, value: unknown) => request(kind, toJsonText(value));

/** `{"a":{"a":...1...}}` (or arrays) nested `levels` deep, as text. */
const nestedText = (levels: number, arrays: boolean) =>
  arrays ? `${'['.repeat(levels)}1${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

const MALFORMED_TEXTS = [
  '',
  ' ',
  '\n',
  '{',
  '}',
  '{"',
  '{"schema"',
  '{"schema":',
  '{"schema":"jwc.v1"',
  '{"schema":"jwc.v1",}',
  "{'schema':'jwc.v1'}",
  '{schema:"jwc.v1"}',
  '/* c */{}',
  '{"a":1}{"b":2}',
  '{"a":1} x',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":-Infinity}',
  '{"a":undefined}',
  '{"a":01}',
  '{"a":.5}',
  '{"a":+1}',
  '{"a":0x10}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{"a":"\\ud800"}',
  '{"a":"tab\there"}',
  '{"a":"\u0000"}',
  '[',
  '"',
  '"\\',
  'nul',
  'tru',
  '\u0000',
  '\ufeff{}',
];

/** A syntactically broken body derived from a valid one. */
const malformedText = (validText: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.constantFrom(...MALFORMED_TEXTS),
    fc.tuple(validText, fc.nat()).map(([text, cut]) => text.slice(0, cut % Math.max(1, text.length))),
    fc
      .tuple(validText, fc.constantFrom('}', ']', ',', ' x', '\u0000', '{}', 'null'))
      .map(([t, tail]) => t + tail),
    validText.map((text) => `\ufeff${text}`),
    fc
      .tuple(validText, fc.nat(), fc.string({ unit: anyUnit, minLength: 1, maxLength: 3 }))
      .map(([text, at, junk]) => {
        const i = at % Math.max(1, text.length);
        return text.slice(0, i) + junk + text.slice(i);
      }),
    fc.string({ unit: anyUnit, maxLength: 200 }),
  );

/** Prototype pollution attempts, direct and escaped, where a parser or a merge might honour them. */
const protoPollution = (validValue: fc.Arbitrary<Record<string, unknown>>) =>
  fc
    .tuple(
      validValue,
      fc.constantFrom(
        '"__proto__":{"fuzzPolluted":true}',
        '"\\u005f_proto__":{"fuzzPolluted":true}',
        '"constructor":{"prototype":{"fuzzPolluted":true}}',
        '"m":{"__proto__":{"fuzzPolluted":true}}',
        '"m":{"constructor":{"prototype":{"fuzzPolluted":true}}}',
        '"metrics":{"__proto__":{"fuzzPolluted":true},"commands":{"__proto__":1}}',
        '"batch":[{"__proto__":{"fuzzPolluted":true},"anon":"a","evt":"e","t":1767225600000}]',
      ),
    )
    .map(([value, member]) => {
      const text = toJsonText(value);
      return text === '{}' ? `{${member}}` : `{${member},${text.slice(1)}`;
    });

const CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/json',
  'application/jsonx',
  'application/json-patch+json',
  'application/vnd.api+json',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/json, text/plain',
  '*/*',
  'application/*',
  'json',
  ' ',
];

/** Bytes that are not UTF-8 inside an otherwise valid JSON string. */
const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
];

const encoder = new TextEncoder();

/** A gzip member of 2 MiB of spaces (~2 KB): appended to another member, it decodes past the limit. */
const GZIP_BOMB = gzipSync(Buffer.alloc(2 * BODY_LIMIT_BYTES, 0x20));

function withInvalidUtf8(text: string, bytes: number[]): Uint8Array {
  const at = text.indexOf('":"');
  const head = encoder.encode(at >= 0 ? text.slice(0, at + 3) : text);
  const tail = encoder.encode(at >= 0 ? text.slice(at + 3) : '');
  return Uint8Array.from([...head, ...bytes, ...tail]);
}

/**
 * Whole hostile request bodies for an input, given arbitraries of its valid body value and of its
 * hostile items: broken syntax, wrong content types and encodings, deep nesting past the body's
 * 32 levels, prototype pollution, huge bodies, non-object bodies, invalid UTF-8, wrong methods.
 */
export function hostileBodies(
  validValue: fc.Arbitrary<Record<string, unknown>>,
  hostileItem: fc.Arbitrary<unknown>,
): fc.Arbitrary<HostileBody> {
  const validText = validValue.map(toJsonText);
  return fc.oneof(
    { weight: 6, arbitrary: malformedText(validText).map((text) => request('malformed-json', text)) },
    { weight: 3, arbitrary: hostileItem.map((value) => json('hostile-item', value)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: MAX_BODY_DEPTH - 1, max: 200 }), fc.boolean(), validValue)
        .map(([levels, arrays, value]) =>
          request(
            'deep-body',
            `{"schema":"${JWC_SCHEMA}","extra":${nestedText(levels, arrays)},${toJsonText(value).slice(1)}`,
          ),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 2_000, max: 20_000 }), fc.boolean())
        .map(([levels, arrays]) => request('very-deep-body', nestedText(levels, arrays))),
    },
    { weight: 2, arbitrary: protoPollution(validValue).map((text) => request('prototype-pollution', text)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(validText, fc.constantFrom(...CONTENT_TYPES))
        .map(([text, type]) => request('content-type', text, { 'content-type': type })),
    },
    {
      weight: 1,
      arbitrary: validText.map((text) => request('no-content-type', encoder.encode(text), {})),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          validText,
          fc.constantFrom(
            'gzip-of-garbage',
            'truncated-gzip',
            'unknown-encoding',
            'double-gzip',
            'deflate',
            'gzip-bomb',
          ),
          fc.constantFrom('br', 'zstd', 'compress', 'gzip, gzip', 'x-unknown', 'GZIP'),
        )
        .map(([text, variant, unknown]) => {
          const headers = (encoding: string) => ({
            'content-type': 'application/json',
            'content-encoding': encoding,
          });
          switch (variant) {
            case 'gzip-of-garbage':
              return request('encoding', text, headers('gzip'));
            case 'truncated-gzip': {
              const zipped = gzipSync(text);
              return request('encoding', zipped.subarray(0, Math.max(1, zipped.length - 9)), headers('gzip'));
            }
            case 'unknown-encoding':
              return request('encoding', gzipSync(text), headers(unknown));
            case 'double-gzip':
              return request('encoding', gzipSync(gzipSync(text)), headers('gzip'));
            case 'deflate':
              return request('encoding', deflateSync(text), headers('deflate'));
            case 'gzip-bomb':
              // ~2 KB on the wire, 2 MiB of spaces decoded: over the body limit after decoding.
              return request('gzip-bomb', Buffer.concat([gzipSync(text), GZIP_BOMB]), headers('gzip'));
          }
        }),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc
            .jsonValue({ maxDepth: 3 })
            .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
          validValue.map((v) => [v]),
          hostileValue.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
        )
        .map((value) => json('not-an-object', value)),
    },
    { weight: 1, arbitrary: manyKeys(1_000, 5_000).map((value) => json('many-top-level-keys', value)) },
    {
      // 16 KB to 256 KB strings; one in 16 is over the body limit (~1.1 MB, refused with a 413).
      weight: 1,
      arbitrary: fc
        .tuple(
          validValue,
          fc.integer({ min: 14, max: 18 }),
          fc.constantFrom('a', '😀', '\\u0000', '\\"'),
          fc.nat(15),
        )
        .map(([value, log2, unit, oneIn16]) => {
          if (oneIn16 === 0) {
            const length = BODY_LIMIT_BYTES + log2 * 1_000;
            return request('over-body-limit', `{"huge":"${'x'.repeat(length)}"}`, undefined, {
              oversize: true,
            });
          }
          const filler = unit.repeat(2 ** log2 / unit.length);
          return request('huge-string', `{"huge":"${filler}",${toJsonText(value).slice(1)}`);
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validText, fc.constantFrom(...INVALID_UTF8))
        .map(([text, bytes]) => request('invalid-utf8', withInvalidUtf8(text, bytes))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validText, fc.constantFrom<HostileBody['method']>('PUT', 'PATCH', 'DELETE', 'GET'))
        .map(([text, method]) =>
          request('wrong-method', method === 'GET' ? undefined : text, undefined, { method }),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          validText,
          fc.constantFrom(
            '?schema=jwc.v1',
            '?a=1&a=2&a[]=3',
            `?${'x'.repeat(6_000)}=1`,
            '/',
            '/..',
            '%00',
            '?%ff',
            '#frag',
          ),
        )
        .map(([text, pathSuffix]) => request('path-variation', text, undefined, { pathSuffix })),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Input-specific whole bodies
// ---------------------------------------------------------------------------------------------

/** `POST /t` bodies: the shared whole-body corpus plus the jwc.v1 request shapes. */
export function hostileJwcBodies(now: number): fc.Arbitrary<HostileBody> {
  const event = hostileJwcEvent(now);
  const validValue = baseJwcEvent(now).map((e): Record<string, unknown> => ({ schema: JWC_SCHEMA, ...e }));
  const schemas = fc.oneof(
    fc.constantFrom<unknown>(
      undefined,
      'jwc.v2',
      'JWC.V1 ',
      'jwc.v1\u0000',
      'jwc',
      '',
      ['jwc.v1'],
      { v: 1 },
      1,
      null,
    ),
    hostileValue,
  );
  return fc.oneof(
    {
      weight: 16,
      arbitrary: hostileBodies(
        validValue,
        event.map((e) => ({ schema: JWC_SCHEMA, batch: [e] })),
      ),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(validValue, schemas)
        .map(([value, schema]) =>
          json('schema', schema === undefined ? { ...value, schema: undefined } : { ...value, schema }),
        ),
    },
    {
      weight: 4,
      arbitrary: fc
        .oneof(fc.constantFrom<unknown>([], {}, 'x', 1, null, true, [[]]), hostileValue)
        .map((batch) => json('batch-shape', { schema: JWC_SCHEMA, batch })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.integer({ min: JWC_MAX_BATCH + 1, max: JWC_MAX_BATCH + 50 }),
          fc.constantFrom<unknown>({}, 1, null),
        )
        .map(([length, item]) =>
          json('oversize-batch', { schema: JWC_SCHEMA, batch: Array.from({ length }, () => item) }),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 10_000, max: 60_000 })
        .map((length) =>
          json('oversize-batch', { schema: JWC_SCHEMA, batch: Array.from({ length }, () => 0) }),
        ),
    },
    {
      // A batch with the event fields at the top as well: which wins must not matter.
      weight: 2,
      arbitrary: fc
        .tuple(validValue, fc.array(event, { minLength: 1, maxLength: 5 }))
        .map(([value, batch]) => json('batch-and-event', { ...value, batch })),
    },
    {
      // Batches of hostile events only: at most a 400 that names each.
      weight: 4,
      arbitrary: fc
        .array(event, { minLength: 1, maxLength: 30 })
        .map((batch) => json('hostile-batch', { schema: JWC_SCHEMA, batch })),
    },
  );
}

/** DevLake report bodies: the shared whole-body corpus plus field-level hostile reports. */
export function hostileReportBodies(now: number): fc.Arbitrary<HostileBody> {
  const validValue = baseReport(now).map((r): Record<string, unknown> => ({ ...r }));
  return fc.oneof(
    { weight: 2, arbitrary: hostileBodies(validValue, hostileReport(now)) },
    { weight: 5, arbitrary: hostileReport(now).map((value) => json('hostile-report', value)) },
  );
}

/** Which connection a hostile report goes to, and which Authorization it carries. */
export type ReportTarget =
  /** The fuzz connection with a token, with its right token: the body is what is tested. */
  | { connection: 'fuzz'; authorization: 'right' }
  /** The fuzz connection without a token. */
  | { connection: 'open'; authorization: 'none' }
  /** The neighbours' connection, with a wrong or missing credential: must never write there. */
  | { connection: 'neighbours'; authorization: 'fuzz-token' | 'none' | { header: string } }
  /** A connection id that is not one: unknown, malformed, out of range. */
  | { connection: { raw: string }; authorization: 'right' | 'none' };

const AUTHORIZATION_HEADERS = [
  '',
  'Bearer',
  'Bearer ',
  'bearer',
  'Basic dXNlcjpwYXNz',
  'Bearer  ',
  'Token abc',
  'Bearer null',
  'Bearer undefined',
  'Bearer \u00ff\u00fe',
  `Bearer ${'a'.repeat(1_100)}`,
  `Bearer ${'a'.repeat(12_000)}`,
  'Bearer a, Bearer b',
  'Bearer tok-123',
];

const CONNECTION_IDS = [
  '0',
  '-1',
  'abc',
  '1.5',
  '1e3',
  '0x1',
  '01',
  ' 1',
  '1 ',
  '99999999999999999999',
  '9007199254740993',
  '999999999999999',
  '123456',
  '%2e%2e',
  '..%2F..',
  '%00',
  'null',
  'undefined',
  '1;DROP',
];

export const reportTarget: fc.Arbitrary<ReportTarget> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<ReportTarget>({ connection: 'fuzz', authorization: 'right' }) },
  { weight: 3, arbitrary: fc.constant<ReportTarget>({ connection: 'open', authorization: 'none' }) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.constantFrom<'fuzz-token' | 'none'>('fuzz-token', 'none'),
        fc.constantFrom(...AUTHORIZATION_HEADERS).map((header) => ({ header })),
        fc
          .string({
            unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
            maxLength: 60,
          })
          .map((token) => ({ header: `Bearer ${token}` })),
      )
      .map((authorization): ReportTarget => ({ connection: 'neighbours', authorization })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...CONNECTION_IDS), fc.constantFrom<'right' | 'none'>('right', 'none'))
      .map(([raw, authorization]): ReportTarget => ({ connection: { raw }, authorization })),
  },
);

/** Values of one arbitrary, reproducibly: chunk `c` of a stream is `fc.sample(..., seed + c)`. */
export function* corpus<T>(arbitrary: fc.Arbitrary<T>, seed: number, chunkSize = 256): Generator<T> {
  for (let chunk = 0; ; chunk++) {
    yield* fc.sample(arbitrary, { numRuns: chunkSize, seed: (seed + chunk) | 0 });
  }
}
