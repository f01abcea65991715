import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@th/platform';

@ObjectType({ description: 'A name with how often it occurred' })
export class NameCount {
  @Field()
  name!: string;

  @Field(() => Float, {
    description: 'Days reported (tools, projects), summed uses (commands) or commits (repositories)',
  })
  count!: number;
}

@ObjectType({ description: 'One repository worked in that day (the collector counts its commits and lines)' })
export class RepositoryActivity {
  @Field()
  name!: string;

  @Field({ description: 'Where the repository is on the developer machine' })
  path!: string;

  @Field(() => Float)
  commits!: number;

  @Field(() => Float)
  linesAdded!: number;

  @Field(() => Float)
  linesDeleted!: number;

  @Field(() => Float)
  filesChanged!: number;

  @Field(() => [String])
  branchesWorked!: string[];
}

@ObjectType({ description: "The collector's git_activity: the day's commits and changes" })
export class GitActivity {
  @Field(() => Float)
  totalCommits!: number;

  @Field(() => Float)
  totalLinesAdded!: number;

  @Field(() => Float)
  totalLinesDeleted!: number;

  @Field(() => Float)
  totalFilesChanged!: number;

  @Field(() => [RepositoryActivity])
  repositories!: RepositoryActivity[];
}

@ObjectType({ description: "The collector's development_activity: test and build runs it detected" })
export class DevelopmentActivity {
  @Field(() => Float)
  testRunsDetected!: number;

  @Field(() => Float)
  buildCommandsDetected!: number;
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

  @Field(() => GitActivity, { nullable: true, description: 'Null when the report carried none' })
  gitActivity!: GitActivity | null;

  @Field(() => DevelopmentActivity, { nullable: true, description: 'Null when the report carried none' })
  developmentActivity!: DevelopmentActivity | null;
}

@ObjectType()
export class DeveloperMetricsPage extends Paginated(DeveloperMetric) {}

@ObjectType({ description: "A developer's reports over the filtered period" })
export class DeveloperSummary {
  @Field()
  developerId!: string;

  @Field(() => Int)
  daysReported!: number;

  @Field(() => Float, { description: 'Active hours, each day counted at most 24' })
  totalActiveHours!: number;

  @Field(() => Float, { description: 'Per day reported, each day counted at most 24' })
  averageActiveHours!: number;

  @Field(() => Int, { description: 'Days reported with more than 24 active hours (clipped above)' })
  implausibleDays!: number;

  @Field(() => Float)
  totalCommits!: number;

  @Field(() => Float)
  totalLinesAdded!: number;

  @Field(() => Float)
  totalLinesDeleted!: number;

  @Field(() => Float)
  totalFilesChanged!: number;

  @Field(() => Float)
  testRunsDetected!: number;

  @Field(() => Float)
  buildCommandsDetected!: number;

  @Field(() => [NameCount])
  topTools!: NameCount[];

  @Field(() => [NameCount])
  topCommands!: NameCount[];

  @Field(() => [NameCount])
  topProjects!: NameCount[];

  @Field(() => [NameCount], { description: 'Repositories by commits made in them' })
  topRepositories!: NameCount[];
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
