import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@th/platform';

@ObjectType({
  description: 'One entry of a breakdown (severity tier or CWE family), in the order the runs gave them',
})
export class ScanCount {
  @Field()
  key!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'One run a finding was seen in' })
export class ScanIssueSighting {
  @Field(() => Int)
  runNumber!: number;

  @Field({ description: "The run's timestamp as its file wrote it" })
  date!: string;

  @Field({ description: "The finding's issue id in that run (CQLF-R<run>-<n>)" })
  issueId!: string;

  @Field()
  file!: string;

  @Field(() => Int)
  startLine!: number;
}

@ObjectType({ description: 'A finding tracked across the runs of its repo' })
export class ScanIssue {
  @Field({ description: 'SHA-256 of rule_id|file|start_line, first 16 hex (of its latest sighting)' })
  fingerprint!: string;

  @Field()
  ruleId!: string;

  @Field()
  severityTier!: string;

  @Field()
  cweFamily!: string;

  @Field()
  file!: string;

  @Field(() => Int)
  startLine!: number;

  @Field({
    description:
      "recurring (in the repo's latest run and the one before), new, or fixed (not in the latest run)",
  })
  status!: string;

  @Field(() => Int)
  firstSeenRun!: number;

  @Field()
  firstSeenDate!: string;

  @Field(() => Int)
  lastSeenRun!: number;

  @Field()
  lastSeenDate!: string;

  @Field({ description: 'The target repo URL' })
  targetRepo!: string;

  @Field(() => Int)
  appearances!: number;

  @Field(() => [Int])
  runNumbers!: number[];

  @Field()
  latestIssueId!: string;

  @Field(() => [ScanIssueSighting], { description: 'Each run it was seen in, oldest first' })
  history!: ScanIssueSighting[];
}

@ObjectType()
export class ScanIssuePage extends Paginated(ScanIssue) {}

@ObjectType({ description: 'One code-scanning run of a target repo' })
export class ScanRun {
  @Field({ description: 'The target repo URL' })
  targetRepo!: string;

  @Field()
  forkUrl!: string;

  @Field(() => Int)
  runNumber!: number;

  @Field(() => String, { nullable: true })
  runId!: string | null;

  @Field()
  runLabel!: string;

  @Field({ description: 'As the run file wrote it' })
  timestamp!: string;

  @Field(() => String, { nullable: true })
  runUrl!: string | null;

  @Field(() => Int)
  issuesFound!: number;

  @Field(() => Int, { nullable: true })
  issuesDispatched!: number | null;

  @Field(() => [ScanCount])
  severityBreakdown!: ScanCount[];

  @Field(() => [ScanCount])
  categoryBreakdown!: ScanCount[];

  @Field(() => Int)
  batchesCreated!: number;

  @Field(() => Int)
  sessionCount!: number;

  @Field({ description: 'True when the file lacked fingerprints and the hub computed them' })
  fingerprintsComputed!: boolean;
}

@ObjectType()
export class ScanRunPage extends Paginated(ScanRun) {}

@ObjectType({ description: "A change of a fix session's status" })
export class FixSessionStatusChange {
  @Field()
  status!: string;

  @Field({ description: "ISO-8601 UTC: the run's time for the first entry, then the poll's" })
  at!: string;

  @Field({ description: 'run (the run file) or poll (the session service)' })
  source!: string;
}

@ObjectType({ description: 'An automated fix session started by a run' })
export class FixSession {
  @Field()
  sessionId!: string;

  @Field()
  sessionUrl!: string;

  @Field(() => String, { nullable: true })
  batchId!: string | null;

  @Field({ description: 'Lower case: created, running, blocked, finished, stopped, expired, error...' })
  status!: string;

  @Field(() => [String])
  issueIds!: string[];

  @Field()
  targetRepo!: string;

  @Field()
  forkUrl!: string;

  @Field(() => Int)
  runNumber!: number;

  @Field()
  runLabel!: string;

  @Field()
  timestamp!: string;

  @Field({ description: "The session's PR, '' when none is known" })
  prUrl!: string;

  @Field(() => [FixSessionStatusChange])
  statusHistory!: FixSessionStatusChange[];
}

@ObjectType()
export class FixSessionPage extends Paginated(FixSession) {}

@ObjectType({ description: 'A fix PR of a fork repo, linked to its session and issues' })
export class ScanPullRequest {
  @Field(() => Int)
  prNumber!: number;

  @Field()
  title!: string;

  @Field()
  htmlUrl!: string;

  @Field()
  state!: string;

  @Field()
  merged!: boolean;

  @Field()
  createdAt!: string;

  @Field({ description: 'owner/repo it was listed from' })
  repo!: string;

  @Field(() => [String])
  issueIds!: string[];

  @Field()
  user!: string;

  @Field({ description: "The bare session id its title or body names, '' when none" })
  sessionId!: string;
}

@ObjectType()
export class ScanPullRequestPage extends Paginated(ScanPullRequest) {}

@ObjectType({ description: 'One target repo, as /api/repos gives it' })
export class ScanRepoSummary {
  @Field()
  repo!: string;

  @Field()
  forkUrl!: string;

  @Field(() => Int)
  runs!: number;

  @Field(() => Int)
  issuesFound!: number;

  @Field(() => Int)
  sessionsCreated!: number;

  @Field(() => Int, { description: 'finished or stopped' })
  sessionsFinished!: number;

  @Field(() => Int)
  prsTotal!: number;

  @Field(() => Int)
  prsMerged!: number;

  @Field(() => Int)
  prsOpen!: number;

  @Field(() => [ScanCount])
  severityBreakdown!: ScanCount[];

  @Field(() => [ScanCount])
  categoryBreakdown!: ScanCount[];

  @Field()
  lastRun!: string;

  @Field(() => Float, { description: 'Fixed findings ÷ findings ever seen, a percentage with one decimal' })
  findingsFixedRate!: number;
}

@ObjectType({ description: 'What /api/stats returns' })
export class ScanStats {
  @Field(() => Int)
  reposScanned!: number;

  @Field(() => [String])
  repoList!: string[];

  @Field(() => Int)
  totalRuns!: number;

  @Field(() => Int)
  totalIssues!: number;

  @Field(() => Int, { description: "Issues of each repo's latest run, summed" })
  latestIssues!: number;

  @Field(() => [ScanCount])
  latestSeverity!: ScanCount[];

  @Field(() => [ScanCount])
  latestCategory!: ScanCount[];

  @Field(() => Int)
  sessionsCreated!: number;

  @Field(() => Int)
  sessionsFinished!: number;

  @Field(() => Int)
  sessionsWithPr!: number;

  @Field(() => Int)
  prsTotal!: number;

  @Field(() => Int)
  prsMerged!: number;

  @Field(() => Int)
  prsOpen!: number;

  @Field(() => Int)
  prsClosed!: number;

  @Field(() => Float, { description: 'round(prs_merged / max(prs_total, 1) * 100, 1)' })
  fixRate!: number;

  @Field(() => Float, { description: 'Fixed findings ÷ findings ever seen, a percentage with one decimal' })
  findingsFixedRate!: number;

  @Field(() => [ScanCount])
  severityBreakdown!: ScanCount[];

  @Field(() => [ScanCount])
  categoryBreakdown!: ScanCount[];
}

@ArgsType()
export class ScanListArgs {
  @Field({ nullable: true, description: 'Target repo: owner/repo or its https://github.com URL' })
  repo?: string;

  @Field(() => Int, { defaultValue: 50 })
  limit!: number;

  @Field(() => Int, { defaultValue: 0 })
  offset!: number;
}

@ArgsType()
export class ScanIssuesArgs extends ScanListArgs {
  @Field({ nullable: true, description: 'recurring, new or fixed' })
  status?: string;

  @Field({ nullable: true, description: 'A CodeQL rule id, e.g. py/sql-injection' })
  rule?: string;

  @Field({ nullable: true, description: 'A severity tier, e.g. high' })
  severity?: string;
}

@ArgsType()
export class FixSessionsArgs extends ScanListArgs {
  @Field({ nullable: true, description: 'A session status, e.g. finished' })
  status?: string;
}
