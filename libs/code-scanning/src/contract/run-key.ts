/**
 * A run's identity within its target repo: the action's run id where the file has one, else its
 * run number. Every copy of a run (a resend, a correction, a backfill) has the same key.
 */
export function runKeyOf(run: { runId: string | null; runNumber: number }): string {
  return run.runId !== null ? `id:${run.runId}` : `n:${run.runNumber}`;
}
