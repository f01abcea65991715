import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A DevLake developer_telemetry connection; its secret token is never returned' })
export class Connection {
  @Field(() => Int)
  id!: number;

  @Field()
  name!: string;

  @Field()
  endpoint!: string;

  @Field()
  proxy!: string;

  @Field(() => Int)
  rateLimitPerHour!: number;

  @Field()
  hasSecretToken!: boolean;

  @Field()
  createdAt!: string;

  @Field()
  updatedAt!: string;
}

@InputType()
export class CreateConnectionInput {
  @Field()
  name!: string;

  @Field({ nullable: true })
  endpoint?: string;

  @Field({ nullable: true })
  proxy?: string;

  @Field(() => Int, { nullable: true })
  rateLimitPerHour?: number;

  @Field({ nullable: true })
  secretToken?: string;
}

@InputType()
export class UpdateConnectionInput {
  @Field({ nullable: true })
  name?: string;

  @Field({ nullable: true })
  endpoint?: string;

  @Field({ nullable: true })
  proxy?: string;

  @Field(() => Int, { nullable: true })
  rateLimitPerHour?: number;

  @Field({ nullable: true, description: 'A new token; null removes the token' })
  secretToken?: string;
}
