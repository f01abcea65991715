import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@th/platform';

@ObjectType({ description: 'A name with how often it occurred' })
export class NameCount {
  @Field()
  name!: string;

  @Field(() => Float, { description: 'Days reported (tools, projects) or summed uses (commands)' })
  count!: number;
}

@ObjectType({ description: "One developer's DevLake daily report; the latest report for the day wins" })
export class DeveloperMetric {
  @Field(() => Int)
  connectionId!: number;

  @Field()
  developerId!: string;

  @Field({ description: 'YYYY-MM-DD' })
  date!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field()
  hostname!: string;

  @Field(() => Float)
  activeHours!: number;

  @Field(() => [String])
  toolsUsed!: string[];

  @Field(() => [String])
  projectContext!: string[];

  @Field(() => [NameCount], { description: 'Command uses, most used first' })
  commandCounts!: NameCount[];

  @Field()
  osInfo!: string;

  @Field({ description: 'When the winning report was received (ISO-8601, UTC)' })
  receivedAt!: string;
}

@ObjectType()
export class DeveloperMetricsPage extends Paginated(DeveloperMetric) {}

@ObjectType({ description: "A developer's reports over the filtered period" })
export class DeveloperSummary {
  @Field()
  developerId!: string;

  @Field(() => Int)
  daysReported!: number;

  @Field(() => Float)
  totalActiveHours!: number;

  @Field(() => Float)
  averageActiveHours!: number;

  @Field(() => [NameCount])
  topTools!: NameCount[];

  @Field(() => [NameCount])
  topCommands!: NameCount[];

  @Field(() => [NameCount])
  topProjects!: NameCount[];
}

@ObjectType()
export class DeveloperSummaryPage extends Paginated(DeveloperSummary) {}

@ArgsType()
export class DeveloperMetricsArgs {
  @Field(() => Int, { nullable: true })
  connectionId?: number;

  @Field({ nullable: true })
  developer?: string;

  @Field({ nullable: true, description: 'First day, inclusive (YYYY-MM-DD)' })
  from?: string;

  @Field({ nullable: true, description: 'Last day, inclusive (YYYY-MM-DD)' })
  to?: string;

  @Field(() => Int, { defaultValue: 100 })
  limit!: number;

  @Field(() => Int, { defaultValue: 0 })
  offset!: number;
}

@ArgsType()
export class DeveloperSummaryArgs extends DeveloperMetricsArgs {
  @Field(() => Int, { defaultValue: 5, description: 'How many top tools, commands and projects' })
  top!: number;
}
