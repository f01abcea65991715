import { Args, Field, ObjectType, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Type } from '@sinclair/typebox';
import { API_KEY_SCOPES, Access, ValidationFailedError, compileSchema, oneOf } from '@th/platform';
import type { ApiKeyRecord } from './api-key.schema';
import { ApiKeysService } from './api-keys.service';

@ObjectType({ description: 'An API key, without its secret (shown once, at creation)' })
export class ApiKey {
  @Field({ description: 'Public id (revoke by it)' })
  id!: string;

  @Field()
  name!: string;

  @Field(() => [String], { description: 'ingest, read, admin (admin includes read)' })
  scopes!: string[];

  @Field({
    description:
      'What the key belongs to: empty for people and tools, devlake-connection:<id> for a connection',
  })
  owner!: string;

  @Field({ description: 'ISO-8601 UTC' })
  createdAt!: string;

  @Field(() => String, { nullable: true, description: 'ISO-8601 UTC; null while live' })
  revokedAt!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Last request with it, to the minute (per replica in distributed mode)',
  })
  lastUsedAt!: string | null;
}

@ObjectType({ description: 'A key just created: the only time its secret is shown' })
export class CreatedApiKey {
  @Field({ description: 'The secret: send it as Authorization: Bearer <key> or X-Api-Key. Not shown again' })
  key!: string;

  @Field(() => ApiKey)
  apiKey!: ApiKey;
}

const validateCreate = compileSchema(
  Type.Object({
    name: Type.String({ minLength: 1, maxLength: 255, errorMessage: 'must be 1 to 255 characters' }),
    scopes: Type.Array(oneOf(API_KEY_SCOPES), { minItems: 1, maxItems: 3, uniqueItems: true }),
  }),
);

function view(record: ApiKeyRecord): ApiKey {
  return {
    id: record.id,
    name: record.name,
    scopes: record.scopes,
    owner: record.owner,
    createdAt: record.createdAt,
    revokedAt: record.revokedAt,
    lastUsedAt: record.lastUsedAt ?? null,
  };
}

/** Key management (admin: a query is declared admin here, not the default read). */
@Resolver()
export class ApiKeysResolver {
  constructor(private readonly keys: ApiKeysService) {}

  @Query(() => [ApiKey], { description: 'Every API key (admin), oldest first; secrets are never shown' })
  @Access('admin')
  async apiKeys(): Promise<ApiKey[]> {
    return (await this.keys.list()).map(view);
  }

  @Mutation(() => CreatedApiKey, {
    description: 'Creates an API key (admin); its secret is in the answer only',
  })
  async createApiKey(
    @Args('name') name: string,
    @Args('scopes', { type: () => [String] }) scopes: string[],
  ): Promise<CreatedApiKey> {
    const checked = validateCreate({ name, scopes });
    if (!checked.ok) throw new ValidationFailedError(checked.errors);
    const issued = await this.keys.issueAccessKey(name, checked.value.scopes);
    return { key: issued.key, apiKey: view(issued.record) };
  }

  @Mutation(() => ApiKey, {
    description: 'Revokes an API key by its id (admin); at once on this replica, within seconds on others',
  })
  async revokeApiKey(@Args('id') id: string): Promise<ApiKey> {
    return view(await this.keys.revoke(id));
  }
}
