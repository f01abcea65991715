import { buildSchema, parse, validate } from 'graphql';
import { queryLimitRules } from './query-limits';

const schema = buildSchema(`
  type Span { name: String, a: Int, b: Int, c: Int, d: Int, children: [Span] }
  type Query { roots: [Span], total: Int }
`);
const rules = queryLimitRules({
  GRAPHQL_MAX_DEPTH: 8,
  GRAPHQL_MAX_ALIASES: 15,
  GRAPHQL_MAX_DIRECTIVES: 20,
  GRAPHQL_MAX_COST: 5000,
});
const errorsOf = (query: string) => validate(schema, parse(query), rules).map((e) => e.message);

/** `roots`, then `levels` fragments each one level of children further down. */
const fragmentChain = (levels: number) =>
  `{ roots { ...C0 } }\n` +
  Array.from(
    { length: levels },
    (_, i) => `fragment C${i} on Span { name ${i < levels - 1 ? `children { ...C${i + 1} }` : ''} }`,
  ).join('\n');

describe('GraphQL query limits', () => {
  it('counts the depth a chain of named fragments hides', () => {
    expect(errorsOf(fragmentChain(6))).toEqual([]);
    expect(errorsOf(fragmentChain(10)).join()).toMatch(/Query depth limit of 8 exceeded/);
  });

  it('refuses more aliases than the limit, naming it', () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: total`).join(' ')} }`;
    expect(errorsOf(aliases(15))).toEqual([]);
    expect(errorsOf(aliases(16)).join()).toMatch(/Aliases limit of 15 exceeded, found 16/);
  });

  it('refuses an operation past the cost limit, naming it', () => {
    const level = (depth: number): string =>
      depth === 0 ? 'name a b c d' : `name a b c d children { ${level(depth - 1)} }`;
    const costly = `{ ${Array.from({ length: 15 }, (_, i) => `r${i}: roots { ${level(7)} }`).join(' ')} }`;
    expect(errorsOf(costly).join()).toMatch(/Query Cost limit of 5000 exceeded/);
    expect(errorsOf(`{ roots { ${level(3)} } }`)).toEqual([]);
  });
});
