import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Connection, CreateConnectionInput, UpdateConnectionInput } from './connection.model';
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

  @Mutation(() => Connection)
  createConnection(@Args('input') input: CreateConnectionInput): Promise<Connection> {
    return this.service.create(withoutUndefined(input));
  }

  @Mutation(() => Connection)
  updateConnection(
    @Args('id', { type: () => Int }) id: number,
    @Args('input') input: UpdateConnectionInput,
  ): Promise<Connection> {
    return this.service.update(id, withoutUndefined(input));
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
