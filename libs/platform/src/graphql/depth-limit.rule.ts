import { type ASTVisitor, GraphQLError, Kind, type SelectionSetNode, type ValidationContext } from 'graphql';

/** Rejects operations whose selections nest deeper than `maxDepth`. */
export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const depth = selectionDepth(node.selectionSet);
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(`query depth ${depth} exceeds the maximum of ${maxDepth}`, {
            nodes: [node],
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        );
      }
    },
  });
}

function selectionDepth(selectionSet: SelectionSetNode | undefined): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD)
      deepest = Math.max(deepest, 1 + selectionDepth(selection.selectionSet));
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      deepest = Math.max(deepest, selectionDepth(selection.selectionSet));
  }
  return deepest;
}
