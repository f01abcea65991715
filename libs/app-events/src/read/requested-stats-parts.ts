import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import { ALL_STATS_PARTS, type StatsParts } from './app-stats.repository';

/**
 * Which costly parts an `appStats` selection asks for: `uniques` or `daily { users }` need the
 * distinct users, `hourly { users }` the hourly ones, `performance` the percentiles. A selection
 * that uses fragments is given everything (the parts are decided on plain fields only).
 */
export function requestedStatsParts(info: GraphQLResolveInfo): StatsParts {
  const fields = new Map<string, SelectionSetNode | undefined>();
  for (const node of info.fieldNodes) {
    for (const selection of node.selectionSet?.selections ?? []) {
      if (selection.kind !== Kind.FIELD) return ALL_STATS_PARTS;
      fields.set(selection.name.value, selection.selectionSet);
    }
  }
  const asksUsers = (field: string) => {
    const set = fields.get(field);
    return set !== undefined && set.selections.some((s) => s.kind !== Kind.FIELD || s.name.value === 'users');
  };
  return {
    users: fields.has('uniques') || asksUsers('daily'),
    hourlyUsers: asksUsers('hourly'),
    performance: fields.has('performance'),
  };
}
