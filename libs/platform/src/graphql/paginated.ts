import type { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';

/** The shape every GraphQL list answers with. */
export interface Page<T> {
  items: T[];
  totalCount: number;
  hasMore: boolean;
}

/**
 * A named page type of `item` for code-first GraphQL:
 * `@ObjectType() class AppEventsPage extends Paginated(AppEvent) {}`.
 */
export function Paginated<T>(item: Type<T>): Type<Page<T>> {
  @ObjectType({ isAbstract: true })
  abstract class PageType implements Page<T> {
    @Field(() => [item])
    items!: T[];

    @Field(() => Int)
    totalCount!: number;

    @Field()
    hasMore!: boolean;
  }
  return PageType as Type<Page<T>>;
}
