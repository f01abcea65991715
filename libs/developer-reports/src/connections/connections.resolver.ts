import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  Connection,
  ConnectionApiKey,
  CreateConnectionInput,
  CreatedConnection,
  ConnectionWithSecretToken,
  UpdateConnectionInput,
} from './connection.model';
import { ConnectionsService } from './connections.service';

/** The same connection operations as the REST routes, through the same service. */
@Resolver(() => Connection)
export class ConnectionsResolver {
  constructor(private readonly service: ConnectionsService) {}

  @Query(() => [Connection])
  connections(): Promise<Connection[]> {
    return this.service.list();
  }

  @Query(() => Connection)
  connection(@Args('id', { type: () => Int }) id: number): Promise<Connection> {
    return this.service.get(id);
  }

  @Mutation(() => CreatedConnection)
  createConnection(@Args('input') input: CreateConnectionInput): Promise<CreatedConnection> {
    return this.service.create(withoutUndefined(input));
  }

  @Mutation(() => Connection)
  updateConnection(
    @Args('id', { type: () => Int }) id: number,
    @Args('input') input: UpdateConnectionInput,
  ): Promise<Connection> {
    return this.service.update(id, withoutUndefined(input));
  }

  @Mutation(() => ConnectionApiKey, {
    description:
      'Issues a new API key for the connection (shown only this once) and revokes its previous keys',
  })
  rotateConnectionApiKey(
    @Args('id', { type: () => Int }) id: number,
    @Args('apiKey', {
      nullable: true,
      description: 'Adopt this key (one the collectors already hold) instead of a random one',
    })
    apiKey?: string,
  ): Promise<ConnectionApiKey> {
    return this.service.rotateApiKey(id, apiKey === undefined || apiKey === null ? {} : { apiKey });
  }

  @Mutation(() => ConnectionWithSecretToken, {
    description:
      'Generates a new secret token for the connection on the server (shown only this once, kept as a slow hash) and replaces its previous token',
  })
  generateConnectionSecretToken(
    @Args('id', { type: () => Int }) id: number,
  ): Promise<ConnectionWithSecretToken> {
    return this.service.generateSecretToken(id);
  }

  @Mutation(() => Boolean)
  async deleteConnection(@Args('id', { type: () => Int }) id: number): Promise<boolean> {
    await this.service.delete(id);
    return true;
  }
}

/** GraphQL input objects are class instances; the service validates plain JSON values. */
function withoutUndefined(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
