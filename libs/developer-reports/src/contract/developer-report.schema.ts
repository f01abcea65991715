import { type Static, type TProperties, type TSchema, Type } from '@sinclair/typebox';

/** Bounds of a DevLake daily report; documented in the README. */
export const DEVELOPER_REPORT_LIMITS = {
  developerLength: 255,
  textLength: 255,
  listItems: 1000,
  commandNames: 1000,
  /** The range of the store's `Date` column: a date outside it would be silently clamped. */
  earliestDate: '1970-01-01',
  latestDate: '2149-06-06',
} as const;

const TEXT_RULE = `must be a string of at most ${DEVELOPER_REPORT_LIMITS.textLength} characters`;
const text = Type.String({ maxLength: DEVELOPER_REPORT_LIMITS.textLength, errorMessage: TEXT_RULE });

/** An array's own rule (errorMessage covers only this node's errors); an invalid item is reported at its own path. */
const listOf = <T extends TSchema>(item: T, rule: string) =>
  Type.Optional(
    Type.Array(item, {
      maxItems: DEVELOPER_REPORT_LIMITS.listItems,
      errorMessage: rule,
    }),
  );

const nameList = (what: string) =>
  listOf(
    text,
    `must be an array of at most ${DEVELOPER_REPORT_LIMITS.listItems} ${what} (strings of at most ${DEVELOPER_REPORT_LIMITS.textLength} characters)`,
  );

/** An object's own rule ("must be an object"); its fields are reported at their own paths. */
const objectOf = <T extends TProperties>(properties: T) =>
  Type.Optional(Type.Object(properties, { errorMessage: 'must be an object' }));

/** A count: DevLake reads it into an integer, truncating a fraction; a negative one is refused. */
const count = Type.Optional(
  Type.Number({
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    errorMessage: 'must be a non-negative number',
  }),
);

/** One repository the developer worked in that day (the collector's `git_activity.repositories[]`). */
const RepositorySchema = Type.Object(
  {
    name: Type.Optional(text),
    path: Type.Optional(
      Type.String({ maxLength: 4096, errorMessage: 'must be a string of at most 4096 characters' }),
    ),
    commits: count,
    lines_added: count,
    lines_deleted: count,
    files_changed: count,
    branches_worked: nameList('branch names'),
  },
  { errorMessage: 'must be an object' },
);

/**
 * The body of `POST .../plugins/developer_telemetry/connections/:id/report`, as the Apache DevLake
 * `developer_telemetry` plugin decodes it and its collector sends it (test/fixtures/
 * devlake-collector-report.json). Only `date` and `developer` are required. Unknown fields are
 * accepted and ignored, as the plugin does, so newer collectors keep working; the older
 * collectors' `commands` map is still accepted. `active_hours` is kept as sent (a fraction, or
 * more than 24 when the collector counted a day twice); a negative number is refused.
 */
export const DeveloperReportSchema = Type.Object({
  date: Type.String({
    format: 'date',
    formatMinimum: DEVELOPER_REPORT_LIMITS.earliestDate,
    formatMaximum: DEVELOPER_REPORT_LIMITS.latestDate,
    errorMessage: `must be a real calendar date in YYYY-MM-DD format, from ${DEVELOPER_REPORT_LIMITS.earliestDate} to ${DEVELOPER_REPORT_LIMITS.latestDate}`,
  }),
  developer: Type.String({
    minLength: 1,
    maxLength: DEVELOPER_REPORT_LIMITS.developerLength,
    pattern: '\\S',
    errorMessage: `must be a non-empty string of at most ${DEVELOPER_REPORT_LIMITS.developerLength} characters`,
  }),
  email: Type.Optional(text),
  name: Type.Optional(text),
  hostname: Type.Optional(text),
  os_info: Type.Optional(text),
  metrics: objectOf({
    active_hours: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1_000_000, errorMessage: 'must be a non-negative number of hours' }),
    ),
    tools_used: nameList('tool names'),
    projects: nameList('project names'),
    commands: Type.Optional(
      Type.Record(
        Type.String({ maxLength: DEVELOPER_REPORT_LIMITS.textLength }),
        // DevLake reads counts into integers, truncating a fraction: so does the projection.
        Type.Number({ minimum: 0, maximum: 4_294_967_295, errorMessage: 'must be a non-negative count' }),
        {
          maxProperties: DEVELOPER_REPORT_LIMITS.commandNames,
          errorMessage: `must be an object mapping at most ${DEVELOPER_REPORT_LIMITS.commandNames} command names to non-negative counts`,
        },
      ),
    ),
    git_activity: objectOf({
      total_commits: count,
      total_lines_added: count,
      total_lines_deleted: count,
      total_files_changed: count,
      repositories: listOf(
        RepositorySchema,
        `must be an array of at most ${DEVELOPER_REPORT_LIMITS.listItems} repository objects`,
      ),
    }),
    development_activity: objectOf({
      test_runs_detected: count,
      build_commands_detected: count,
    }),
  }),
});
export type DeveloperReport = Static<typeof DeveloperReportSchema>;

/** The envelope kind of a daily report; it travels on the reports topic. */
export const DEVELOPER_REPORT_KIND = 'developer-report';

/** What the gateway publishes for one accepted report (validated again on consume). */
export const DeveloperReportPayloadSchema = Type.Object({
  connectionId: Type.Integer({ minimum: 1 }),
  report: DeveloperReportSchema,
});

export type DeveloperReportPayload = Static<typeof DeveloperReportPayloadSchema>;

/** A report's identity: one row per connection, developer and day. */
export function developerReportId(connectionId: number, developer: string, date: string): string {
  return `${connectionId}/${developer}/${date}`;
}

/**
 * The report with its null fields dropped, at every level of objects (DevLake decodes a null field
 * as its zero value, which this hub stores as "not reported"). Array items are kept as they are.
 */
export function withoutNullFields(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map((item: unknown) => (isPlainObject(item) ? withoutNullFields(item) : item));
  if (!isPlainObject(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== null) kept[key] = withoutNullFields(field);
  return kept;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
