import { type Static, Type } from '@sinclair/typebox';

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

const text = (errorMessage: string) =>
  Type.String({ maxLength: DEVELOPER_REPORT_LIMITS.textLength, errorMessage });
const nameList = (what: string) =>
  Type.Array(Type.String({ maxLength: DEVELOPER_REPORT_LIMITS.textLength }), {
    maxItems: DEVELOPER_REPORT_LIMITS.listItems,
    errorMessage: `must be an array of at most ${DEVELOPER_REPORT_LIMITS.listItems} ${what} (strings of at most ${DEVELOPER_REPORT_LIMITS.textLength} characters)`,
  });

/**
 * The body of `POST /plugins/developer_telemetry/connections/:id/report`, exactly as the Apache
 * DevLake `developer_telemetry` plugin defines it. Unknown fields are accepted and ignored, as the
 * plugin does, so newer collectors keep working.
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
  email: Type.Optional(text('must be a string of at most 255 characters')),
  name: Type.Optional(text('must be a string of at most 255 characters')),
  hostname: Type.Optional(text('must be a string of at most 255 characters')),
  os_info: Type.Optional(text('must be a string of at most 255 characters')),
  metrics: Type.Object(
    {
      active_hours: Type.Optional(
        Type.Number({ minimum: 0, maximum: 24, errorMessage: 'must be a number from 0 to 24' }),
      ),
      tools_used: Type.Optional(nameList('tool names')),
      projects: Type.Optional(nameList('project names')),
      commands: Type.Optional(
        Type.Record(
          Type.String({ maxLength: DEVELOPER_REPORT_LIMITS.textLength }),
          Type.Integer({
            minimum: 0,
            maximum: 4_294_967_295,
            errorMessage: 'must be a non-negative integer count',
          }),
          {
            maxProperties: DEVELOPER_REPORT_LIMITS.commandNames,
            errorMessage: 'must be an object mapping command names to non-negative integer counts',
          },
        ),
      ),
    },
    { errorMessage: 'must be an object' },
  ),
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
