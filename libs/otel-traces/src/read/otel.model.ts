import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@th/platform';

@ObjectType({ description: 'One attribute: a string as it was sent, any other value as JSON' })
export class OtelAttribute {
  @Field()
  key!: string;

  @Field()
  value!: string;
}

@ObjectType({ description: 'Something that happened during a span (an exception, a retry...)' })
export class OtelSpanEvent {
  @Field({ description: 'Nanoseconds since the epoch, as decimal text' })
  timeUnixNano!: string;

  @Field({ description: 'ISO-8601 UTC, to the nanosecond' })
  time!: string;

  @Field()
  name!: string;

  @Field(() => [OtelAttribute], { description: 'Ordered by key' })
  attributes!: OtelAttribute[];
}

@ObjectType({ description: 'A span this span is linked to (in this trace or another)' })
export class OtelSpanLink {
  @Field()
  traceId!: string;

  @Field()
  spanId!: string;

  @Field(() => [OtelAttribute], { description: 'Ordered by key' })
  attributes!: OtelAttribute[];
}

@ObjectType({ description: 'One OpenTelemetry span; user.id, organization.id and enduser.id are hashed' })
export class OtelSpan {
  @Field({ description: '32 lower-case hex digits' })
  traceId!: string;

  @Field({ description: '16 lower-case hex digits' })
  spanId!: string;

  @Field(() => String, { nullable: true, description: 'Null for a root span' })
  parentSpanId!: string | null;

  @Field()
  name!: string;

  @Field({ description: 'UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER or CONSUMER' })
  kind!: string;

  @Field({ description: 'ISO-8601 UTC, to the nanosecond' })
  startTime!: string;

  @Field({ description: 'ISO-8601 UTC, to the nanosecond' })
  endTime!: string;

  @Field({ description: 'Nanoseconds since the epoch, as decimal text (exact, where a Float is not)' })
  startTimeUnixNano!: string;

  @Field({ description: 'Nanoseconds since the epoch, as decimal text' })
  endTimeUnixNano!: string;

  @Field(() => Float)
  durationMs!: number;

  @Field({ description: 'UNSET, OK or ERROR' })
  statusCode!: string;

  @Field()
  statusMessage!: string;

  @Field()
  serviceName!: string;

  @Field({ description: 'The instrumentation scope (library) that made the span' })
  scopeName!: string;

  @Field()
  scopeVersion!: string;

  @Field(() => [OtelAttribute], { description: 'Ordered by key' })
  attributes!: OtelAttribute[];

  @Field(() => [OtelAttribute], {
    description: "The resource's attributes (service, host...), ordered by key",
  })
  resourceAttributes!: OtelAttribute[];

  @Field(() => [OtelSpanEvent], { description: 'In the order the span sent them' })
  events!: OtelSpanEvent[];

  @Field(() => [OtelSpanLink])
  links!: OtelSpanLink[];

  @Field(() => [OtelSpan], {
    description:
      'The spans whose parent this is, ordered by start time. Nesting is capped by the query depth ' +
      'limit: for a deep trace, read OtelTrace.spans and join on parentSpanId',
  })
  children!: OtelSpan[];
}

@ObjectType({ description: 'A trace in a list: figures over its spans that started in the period asked' })
export class OtelTraceSummary {
  @Field()
  traceId!: string;

  @Field({ description: 'Name of the root span (the earliest span when the root was not received)' })
  rootName!: string;

  @Field({ description: 'Service of the root span (as rootName)' })
  serviceName!: string;

  @Field(() => [String], { description: 'Every service with a span in the trace, sorted' })
  serviceNames!: string[];

  @Field({ description: 'Start of the earliest span, ISO-8601 UTC to the nanosecond' })
  startTime!: string;

  @Field({ description: 'End of the latest span, ISO-8601 UTC to the nanosecond' })
  endTime!: string;

  @Field(() => Float, { description: 'From the earliest start to the latest end, ms' })
  durationMs!: number;

  @Field(() => Int)
  spanCount!: number;

  @Field(() => Int, { description: 'Spans with status ERROR' })
  errorCount!: number;

  @Field({ description: 'ERROR when any span failed, else OK when any span said OK, else UNSET' })
  status!: string;
}

@ObjectType({ description: 'A whole trace: its figures count every span received for it' })
export class OtelTrace extends OtelTraceSummary {
  @Field({
    description:
      'True when the trace has more spans than one answer carries (10,000): spans and roots hold the earliest',
  })
  truncated!: boolean;

  @Field(() => [OtelSpan], { description: 'Every span, ordered by start time' })
  spans!: OtelSpan[];

  @Field(() => [OtelSpan], {
    description:
      'The spans without a parent in the trace (a span whose parent never arrived is one), as a tree',
  })
  roots!: OtelSpan[];
}

@ObjectType()
export class OtelTracePage extends Paginated(OtelTraceSummary) {}

@ObjectType({
  description:
    'Requests served by one endpoint and method. A call is an error when its HTTP status is 500 or more ' +
    '(a 4xx is not, nor a call without a status). Percentiles use ClickHouse quantiles: ' +
    'exact up to 8,192 calls per row, a uniform sample of 8,192 beyond',
})
export class EndpointUsage {
  @Field()
  endpoint!: string;

  @Field()
  method!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The service that served it; null when several did (ask with service to split them)',
  })
  serviceName!: string | null;

  @Field(() => Float)
  calls!: number;

  @Field(() => Float, { description: 'Calls answered with status 500 or more' })
  errors!: number;

  @Field(() => Float, { description: 'errors / calls, from 0 to 1' })
  errorRate!: number;

  @Field(() => Float)
  meanMs!: number;

  @Field(() => Float)
  p50Ms!: number;

  @Field(() => Float)
  p95Ms!: number;

  @Field(() => Float)
  p99Ms!: number;
}

@ObjectType({ description: 'Uses of one feature and action' })
export class FeatureUsage {
  @Field()
  featureName!: string;

  @Field()
  action!: string;

  @Field(() => Float)
  uses!: number;

  @Field(() => Float, { description: 'Distinct (hashed) users; uses without a user add none' })
  distinctUsers!: number;
}

@ObjectType()
export class DailyActiveUsers {
  @Field({ description: 'UTC day, YYYY-MM-DD' })
  day!: string;

  @Field(() => Float)
  users!: number;
}

@ObjectType()
export class WeeklyActiveUsers {
  @Field({ description: 'Monday of the week (UTC), YYYY-MM-DD; a week cut by the period counts its part' })
  weekStart!: string;

  @Field(() => Float)
  users!: number;
}

@ObjectType({ description: 'User events (login, logout...) of one type' })
export class UserEventTypeCount {
  @Field()
  eventType!: string;

  @Field(() => Float)
  events!: number;

  @Field(() => Float, { description: 'Distinct (hashed) users; events without a user add none' })
  distinctUsers!: number;
}

@ObjectType({
  description:
    'Who was active. A user is active when their (hashed) user id is on a user event, an endpoint call ' +
    'or a feature use in the period; rows without a user id are no user. Days and weeks without an ' +
    'active user are left out',
})
export class UserActivity {
  @Field({ description: 'Start of the period, ISO-8601 UTC' })
  from!: string;

  @Field({ description: 'End of the period (excluded), ISO-8601 UTC' })
  to!: string;

  @Field(() => Float, { description: 'Distinct active users over the whole period' })
  activeUsers!: number;

  @Field(() => [DailyActiveUsers], { description: 'Oldest day first' })
  dailyActiveUsers!: DailyActiveUsers[];

  @Field(() => [WeeklyActiveUsers], { description: 'Oldest week first' })
  weeklyActiveUsers!: WeeklyActiveUsers[];

  @Field(() => [UserEventTypeCount], { description: 'From user events alone, the most frequent first' })
  eventsByType!: UserEventTypeCount[];
}

const FROM = 'YYYY-MM-DD (from UTC midnight) or ISO-8601 date-time (to the nanosecond), included';
const TO = 'YYYY-MM-DD (that whole UTC day included) or ISO-8601 date-time, excluded; after from';

@ArgsType()
export class OtelPeriodArgs {
  @Field({ description: FROM })
  from!: string;

  @Field({ description: TO })
  to!: string;
}

@ArgsType()
export class OtelTracesArgs extends OtelPeriodArgs {
  @Field({ nullable: true, description: 'Traces with at least one span of this service' })
  service?: string;

  @Field(() => Float, { nullable: true, description: 'Traces lasting at least this many milliseconds' })
  minDuration?: number;

  @Field({ nullable: true, description: 'ERROR (any span failed), OK or UNSET, as OtelTraceSummary.status' })
  status?: string;

  @Field(() => Int, { defaultValue: 100 })
  limit!: number;

  @Field(() => Int, { defaultValue: 0 })
  offset!: number;
}

@ArgsType()
export class EndpointUsageArgs extends OtelPeriodArgs {
  @Field({ nullable: true, description: 'Only calls served by this service' })
  service?: string;

  @Field(() => Int, { defaultValue: 100, description: 'The most called endpoints first, at most this many' })
  limit!: number;
}

@ArgsType()
export class FeatureUsageArgs extends OtelPeriodArgs {
  @Field(() => Int, { defaultValue: 100, description: 'The most used features first, at most this many' })
  limit!: number;
}
