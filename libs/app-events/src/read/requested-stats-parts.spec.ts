import { type FieldNode, type GraphQLResolveInfo, type OperationDefinitionNode, parse } from 'graphql';
import { requestedStatsParts } from './requested-stats-parts';

/** The resolve info of the first root field of `query`, as far as the function reads it. */
function infoOf(query: string): GraphQLResolveInfo {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode] } as unknown as GraphQLResolveInfo;
}

describe('requestedStatsParts', () => {
  it('skips every costly part for counts only (the dashboard overview)', () => {
    expect(
      requestedStatsParts(infoOf('{ appStats { total daily { key events } byOs { key events } } }')),
    ).toEqual({
      users: false,
      hourlyUsers: false,
      performance: false,
    });
  });

  it('asks for each part its fields need', () => {
    expect(requestedStatsParts(infoOf('{ appStats { uniques } }'))).toMatchObject({ users: true });
    expect(requestedStatsParts(infoOf('{ appStats { daily { key users } } }'))).toMatchObject({
      users: true,
    });
    expect(requestedStatsParts(infoOf('{ appStats { hourly { users } } }'))).toMatchObject({
      hourlyUsers: true,
    });
    expect(requestedStatsParts(infoOf('{ appStats { performance { p95 } } }'))).toMatchObject({
      performance: true,
    });
  });

  it('computes everything when the selection goes through a fragment', () => {
    const all = { users: true, hourlyUsers: true, performance: true };
    expect(
      requestedStatsParts(infoOf('{ appStats { ...F } } fragment F on AppStatsResult { total }')),
    ).toEqual(all);
    expect(
      requestedStatsParts(infoOf('{ appStats { daily { ...D } } } fragment D on CountByKey { key }')),
    ).toMatchObject({
      users: true,
    });
  });
});
