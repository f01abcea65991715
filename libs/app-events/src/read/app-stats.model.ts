import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@th/platform';

@ObjectType({ description: 'Events for one key, and distinct users where given (per day)' })
export class CountByKey {
  @Field()
  key!: string;

  @Field(() => Float)
  events!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Distinct users; given for daily and hourly activity',
  })
  users?: number;
}

@ObjectType({ description: 'm.duration_ms figures of one event type, in milliseconds' })
export class EventPerformance {
  @Field()
  evt!: string;

  @Field(() => Float)
  count!: number;

  @Field(() => Float)
  mean!: number;

  @Field(() => Float)
  p50!: number;

  @Field(() => Float)
  p95!: number;

  @Field(() => Float)
  p99!: number;
}

@ObjectType()
export class GeoDistribution {
  @Field(() => [CountByKey], { description: 'Keyed by ISO country code' })
  byCountry!: CountByKey[];

  @Field(() => [CountByKey], { description: 'Keyed by COUNTRY-REGION' })
  byRegion!: CountByKey[];

  @Field(() => [CountByKey], { description: 'Keyed by COUNTRY-REGION-City' })
  byCity!: CountByKey[];
}

@ObjectType({ description: 'App usage over a period; a resent event counts once' })
export class AppStatsResult {
  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field(() => Float)
  total!: number;

  @Field(() => Float, { description: 'Distinct anonymous users' })
  uniques!: number;

  @Field(() => [CountByKey])
  byEvent!: CountByKey[];

  @Field(() => [CountByKey])
  byOs!: CountByKey[];

  @Field(() => [CountByKey], { description: 'By extension version' })
  byExt!: CountByKey[];

  @Field(() => [CountByKey])
  byVscode!: CountByKey[];

  @Field(() => [CountByKey], { description: 'Keyed by UTC day, YYYY-MM-DD' })
  daily!: CountByKey[];

  @Field(() => [CountByKey], { description: 'Keyed by UTC hour, 00 to 23' })
  hourly!: CountByKey[];

  @Field(() => [EventPerformance])
  performance!: EventPerformance[];

  @Field(() => GeoDistribution)
  geo!: GeoDistribution;
}

@ObjectType({ description: 'One stored app usage event (anon hashed)' })
export class AppEventItem {
  @Field()
  eventId!: string;

  @Field()
  ts!: string;

  @Field()
  evt!: string;

  @Field()
  anonHash!: string;

  @Field()
  os!: string;

  @Field()
  ext!: string;

  @Field()
  vscode!: string;

  @Field({ description: 'The m metadata as JSON text' })
  meta!: string;

  @Field()
  country!: string;

  @Field()
  region!: string;

  @Field()
  city!: string;
}

@ObjectType()
export class AppEventsPage extends Paginated(AppEventItem) {}

@ArgsType()
export class AppStatsArgs {
  @Field({
    nullable: true,
    description: 'YYYY-MM-DD (whole day) or ISO-8601; default: STATS_WINDOW_DAYS ago',
  })
  from?: string;

  @Field({ nullable: true, description: 'YYYY-MM-DD (whole day, included) or ISO-8601; default: now' })
  to?: string;

  @Field({ nullable: true })
  evt?: string;

  @Field({ nullable: true })
  os?: string;

  @Field({ nullable: true, description: 'Extension version (ext)' })
  version?: string;
}

@ArgsType()
export class AppEventsArgs extends AppStatsArgs {
  @Field(() => Int, { defaultValue: 100 })
  limit!: number;

  @Field(() => Int, { defaultValue: 0 })
  offset!: number;
}
