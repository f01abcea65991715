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

@ObjectType({
  description: "A connection's API key as DevLake returns it: the key in plain text, shown only this once",
})
export class ConnectionApiKey {
  @Field()
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'Send it as Authorization: Bearer <apiKey> on the connection routes' })
  apiKey!: string;

  @Field({ description: 'The paths the key may reach (a DevLake path pattern)' })
  allowedPath!: string;

  @Field()
  type!: string;

  @Field()
  createdAt!: string;
}

@ObjectType({ description: 'A connection just created, with its API key (shown only this once)' })
export class CreatedConnection extends Connection {
  @Field(() => ConnectionApiKey)
  apiKey!: ConnectionApiKey;
}

@ObjectType({
  description: 'A connection with the secret token the hub just generated (shown only this once)',
})
export class ConnectionWithSecretToken extends Connection {
  @Field({ description: 'Send it as Authorization: Bearer <secretToken> with each report' })
  secretToken!: string;
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
