/** A finding as one run reported it. */
export interface RunFinding {
  /** The run's issue id, `CQLF-R{run}-{idx}`. */
  issueId: string;
  fingerprint: string;
  /** See shiftProofKey; undefined when the run file gave no snippet or message. */
  shiftKey?: string;
  ruleId: string;
  severityTier: string;
  cweFamily: string;
  file: string;
  startLine: number;
}

/** One run of one target repo, as far as tracking needs it. */
export interface TrackedRun {
  runNumber: number;
  /** ISO-8601 UTC; runs are ordered by it (then by run number). */
  timestamp: string;
  /** The timestamp as the run file wrote it, which the issue items show; default `timestamp`. */
  date?: string;
  findings: readonly RunFinding[];
}

export type FindingStatus = 'recurring' | 'new' | 'fixed';

/** A finding across the runs of its repo: the reference's issue item, without the repo. */
export interface TrackedFinding {
  fingerprint: string;
  ruleId: string;
  severityTier: string;
  cweFamily: string;
  file: string;
  startLine: number;
  status: FindingStatus;
  firstSeenRun: number;
  firstSeenDate: string;
  lastSeenRun: number;
  lastSeenDate: string;
  appearances: number;
  runNumbers: number[];
  latestIssueId: string;
  /** Each run it was seen in, oldest first: where it was and under which issue id. */
  sightings: FindingSighting[];
}

export interface FindingSighting {
  runNumber: number;
  date: string;
  issueId: string;
  file: string;
  startLine: number;
}

/**
 * The status of every finding of one repo over its runs, in timestamp order (so runs that arrive
 * out of order give the same answer). A finding in the latest run is `recurring` when it was also
 * in the run before (it has survived at least one fix attempt), else `new`, which covers a finding
 * that was fixed and came back; one missing from the latest run is `fixed`. Its history (runs,
 * appearances, first seen) is kept across a fix and a return.
 *
 * A finding is followed by its shift-proof key when the runs give one, so a finding that only
 * moved lines is one finding; two findings sharing a key in one run are told apart by their order
 * in the file. Otherwise it is followed by its fingerprint.
 */
export function trackFindings(runs: readonly TrackedRun[]): TrackedFinding[] {
  const ordered = [...runs].sort((a, b) =>
    a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.runNumber - b.runNumber,
  );
  const history = new Map<
    number,
    { runs: number[]; latest: RunFinding; first: TrackedRun; last: TrackedRun; sightings: FindingSighting[] }
  >();
  const identities = new FindingIdentities();
  ordered.forEach((run, index) => {
    for (const [identity, finding] of identities.of(run.findings)) {
      const sighting = {
        runNumber: run.runNumber,
        date: run.date ?? run.timestamp,
        issueId: finding.issueId,
        file: finding.file,
        startLine: finding.startLine,
      };
      const seen = history.get(identity);
      if (seen) {
        seen.runs.push(index);
        seen.latest = finding;
        seen.last = run;
        seen.sightings.push(sighting);
      } else {
        history.set(identity, {
          runs: [index],
          latest: finding,
          first: run,
          last: run,
          sightings: [sighting],
        });
      }
    }
  });
  const latest = ordered.length - 1;
  return [...history.values()].map(({ runs: seenIn, latest: finding, first, last, sightings }) => {
    const inLatest = seenIn[seenIn.length - 1] === latest;
    const inRunBefore = seenIn.length > 1 && seenIn[seenIn.length - 2] === latest - 1;
    return {
      fingerprint: finding.fingerprint,
      ruleId: finding.ruleId,
      severityTier: finding.severityTier,
      cweFamily: finding.cweFamily,
      file: finding.file,
      startLine: finding.startLine,
      status: !inLatest ? 'fixed' : inRunBefore ? 'recurring' : 'new',
      firstSeenRun: first.runNumber,
      firstSeenDate: first.date ?? first.timestamp,
      lastSeenRun: last.runNumber,
      lastSeenDate: last.date ?? last.timestamp,
      appearances: seenIn.length,
      runNumbers: seenIn.map((i) => ordered[i].runNumber),
      latestIssueId: finding.issueId,
      sightings,
    };
  });
}

/**
 * Gives the findings of successive runs their identities: a finding is the one seen before under
 * the same fingerprint, else under the same shift-proof key (and rank among the findings of its
 * run sharing that key, in line order), else a new one. Fingerprints and keys both stay linked,
 * so a repo whose older files lack the snippet still follows its findings across the change.
 */
class FindingIdentities {
  private readonly byFingerprint = new Map<string, number>();
  private readonly byShiftKey = new Map<string, number>();
  private next = 0;

  /** The identity of each finding, in the order given (the file's: it orders ties in the lists). */
  of(findings: readonly RunFinding[]): [number, RunFinding][] {
    const byLine = findings
      .map((finding, index) => ({ finding, index }))
      .sort(
        (a, b) =>
          a.finding.startLine - b.finding.startLine ||
          a.finding.fingerprint.localeCompare(b.finding.fingerprint),
      );
    const ranks = new Map<string, number>();
    const used = new Set<number>();
    const identities = new Array<[number, RunFinding]>(findings.length);
    for (const { finding, index } of byLine) {
      let shiftKey: string | undefined;
      if (finding.shiftKey !== undefined) {
        const rank = ranks.get(finding.shiftKey) ?? 0;
        ranks.set(finding.shiftKey, rank + 1);
        shiftKey = `${finding.shiftKey}#${rank}`;
      }
      let identity = this.byFingerprint.get(finding.fingerprint);
      if (identity === undefined && shiftKey !== undefined) identity = this.byShiftKey.get(shiftKey);
      // One identity per finding of a run: a second claimant is a finding of its own.
      if (identity === undefined || used.has(identity)) identity = this.next++;
      used.add(identity);
      this.byFingerprint.set(finding.fingerprint, identity);
      if (shiftKey !== undefined) this.byShiftKey.set(shiftKey, identity);
      identities[index] = [identity, finding];
    }
    return identities;
  }
}

const STATUS_ORDER: Record<FindingStatus, number> = { recurring: 0, new: 1, fixed: 2 };

/** The reference's order of issue items: recurring, new, fixed; then last seen, earliest first. */
export function compareTrackedFindings(a: TrackedFinding, b: TrackedFinding): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    (a.lastSeenDate < b.lastSeenDate ? -1 : a.lastSeenDate > b.lastSeenDate ? 1 : 0)
  );
}

/** A run of some target repo. */
export interface RepoRun extends TrackedRun {
  targetRepo: string;
}

/** {@link trackFindings} for each target repo on its own runs: repos never see each other's runs. */
export function trackRepos(runs: readonly RepoRun[]): Map<string, TrackedFinding[]> {
  const byRepo = new Map<string, RepoRun[]>();
  for (const run of runs) {
    const list = byRepo.get(run.targetRepo);
    if (list) list.push(run);
    else byRepo.set(run.targetRepo, [run]);
  }
  return new Map([...byRepo].map(([repo, repoRuns]) => [repo, trackFindings(repoRuns)]));
}
