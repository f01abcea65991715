import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@th/platform';

@ObjectType({ description: 'One event of a PR trace, in server order' })
export class PrTraceEvent {
  @Field()
  eventId!: string;

  @Field(() => Int, {
    description: 'Server sequence: dense from 1 per trace, in arrival order; never changes',
  })
  seq!: number;

  @Field(() => Float, { nullable: true, description: 'The seq the client sent, if any' })
  clientSeq!: number | null;

  @Field({ description: 'Event time, ISO-8601 UTC' })
  ts!: string;

  @Field({ description: 'edit, command, test, commit or annotation' })
  type!: string;

  @Field({ description: 'The payload as JSON text, secrets replaced' })
  payload!: string;

  @Field(() => Int, { description: 'Secrets replaced in the payload' })
  redactions!: number;
}

@ObjectType({ description: "Whether a trace's events look consistent" })
export class PrTraceConsistency {
  @Field()
  consistent!: boolean;

  @Field(() => [Float], { description: 'Client seq numbers missing between the smallest and largest sent' })
  clientSeqGaps!: number[];

  @Field({ description: 'True when the gaps were too many to list' })
  gapsTruncated!: boolean;

  @Field(() => [Float], { description: 'Client seq numbers sent by more than one event' })
  clientSeqRepeats!: number[];

  @Field(() => [Int], { description: "Server seqs of events outside the PR's lifetime" })
  outsideLifetime!: number[];

  @Field(() => [Int], { description: 'Server seqs of events whose time is before the event before them' })
  timestampsBackwards!: number[];
}

@ObjectType({ description: 'What happened in one PR, from its trace' })
export class PrTraceAnalytics {
  @Field(() => Int)
  eventCount!: number;

  @Field(() => String, { nullable: true })
  firstEventAt!: string | null;

  @Field(() => String, { nullable: true })
  lastEventAt!: string | null;

  @Field(() => Float, { nullable: true, description: 'Last minus first event time, ms' })
  durationMs!: number | null;

  @Field(() => Int)
  edits!: number;

  @Field(() => Int)
  filesEdited!: number;

  @Field(() => Float)
  linesAdded!: number;

  @Field(() => Float)
  linesRemoved!: number;

  @Field(() => Int)
  commands!: number;

  @Field(() => Int)
  commandsFailed!: number;

  @Field(() => Int)
  testRuns!: number;

  @Field(() => Int)
  testRunsFailed!: number;

  @Field(() => Float)
  testsPassed!: number;

  @Field(() => Float)
  testsFailed!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'From the first edit to the first passing test run, ms',
  })
  msFirstEditToFirstPassingTest!: number | null;

  @Field(() => Int)
  commits!: number;

  @Field(() => Float)
  filesChangedInCommits!: number;

  @Field(() => Int)
  annotations!: number;

  @Field(() => PrTraceConsistency)
  consistency!: PrTraceConsistency;
}

@ObjectType({ description: 'A pull-request activity trace: its header as last sent' })
export class PrTrace {
  @Field()
  traceId!: string;

  @Field()
  prId!: string;

  @Field()
  repoName!: string;

  @Field()
  branch!: string;

  @Field(() => [String])
  languages!: string[];

  @Field()
  title!: string;

  @Field({ description: 'open, merged or closed: the latest a batch sent' })
  status!: string;

  @Field(() => String, { nullable: true })
  prCreatedAt!: string | null;

  @Field(() => String, { nullable: true })
  prMergedAt!: string | null;

  @Field({ description: "Keyed hash of the developer's user id (empty when never sent)" })
  developerHash!: string;

  @Field()
  ideVersion!: string;

  @Field()
  os!: string;

  @Field()
  firstReceivedAt!: string;

  @Field()
  lastReceivedAt!: string;

  @Field(() => Int)
  eventCount!: number;
}

@ObjectType()
export class PrTracePage extends Paginated(PrTrace) {}

@ArgsType()
export class PrTracesArgs {
  @Field({ nullable: true, description: 'Repository name, e.g. acme/payments' })
  repo?: string;

  @Field({ nullable: true, description: 'e.g. acme/payments#42' })
  prId?: string;

  @Field({ nullable: true, description: 'Developer hash (as PrTrace.developerHash shows it)' })
  developer?: string;

  @Field({ nullable: true, description: 'open, merged or closed' })
  status?: string;

  @Field({ nullable: true, description: 'Traces with a batch received at or after this ISO-8601 time' })
  from?: string;

  @Field({ nullable: true, description: 'Traces first received before this ISO-8601 time' })
  to?: string;

  @Field(() => Int, { defaultValue: 100 })
  limit!: number;

  @Field(() => Int, { defaultValue: 0 })
  offset!: number;
}
