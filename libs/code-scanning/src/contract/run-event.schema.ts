import { type Static, Type } from '@sinclair/typebox';

/** The envelope kind of one run file, pushed to `POST /api/runs` or pulled by `POST /api/refresh`. */
export const CODESCAN_RUN_KIND = 'codescan-run';

const breakdown = Type.Record(Type.String(), Type.Integer({ minimum: 0 }));

/** A run as it travels on the log: the file's facts, normalised, every finding fingerprinted. */
export const RunEventSchema = Type.Object({
  /** `owner/repo` of the scanned repository, as the file names it. */
  targetRepo: Type.String({ minLength: 3 }),
  targetRepoUrl: Type.String(),
  forkUrl: Type.Union([Type.String(), Type.Null()]),
  runNumber: Type.Integer({ minimum: 1 }),
  /** The action's run id where the file has one; the run is then identified by it. */
  runId: Type.Union([Type.String(), Type.Null()]),
  runLabel: Type.String(),
  /** The file's timestamp as ISO-8601 UTC (runs are ordered by it). */
  timestamp: Type.String(),
  /** The timestamp as the file wrote it (`+00:00`): what the dashboard's JSON shapes return. */
  timestampAsWritten: Type.String(),
  runUrl: Type.Union([Type.String(), Type.Null()]),
  issuesFound: Type.Integer({ minimum: 0 }),
  /** Fields of later action versions, null when the file predates them. */
  issuesDispatched: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  zeroIssueRun: Type.Union([Type.Boolean(), Type.Null()]),
  severityBreakdown: breakdown,
  categoryBreakdown: breakdown,
  batchesCreated: Type.Integer({ minimum: 0 }),
  sessions: Type.Array(
    Type.Object({
      sessionId: Type.String(),
      sessionUrl: Type.Union([Type.String(), Type.Null()]),
      /** As the file wrote it (the action writes a number). */
      batchId: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
      status: Type.String(),
      issueIds: Type.Array(Type.String()),
      prUrl: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  findings: Type.Array(
    Type.Object({
      issueId: Type.String(),
      fingerprint: Type.String({ pattern: '^[0-9a-f]{16}$' }),
      /** Null when the file gave no snippet or message. */
      shiftKey: Type.Union([Type.String({ pattern: '^[0-9a-f]{16}$' }), Type.Null()]),
      ruleId: Type.String(),
      severityTier: Type.String(),
      cweFamily: Type.String(),
      file: Type.String(),
      startLine: Type.Integer({ minimum: 0 }),
    }),
  ),
  /** The file lacked issue_fingerprints or some fingerprints: we computed them (what backfill patches). */
  fingerprintsComputed: Type.Boolean(),
});
export type RunEvent = Static<typeof RunEventSchema>;
