import { CONFIG_VARIABLES, type ConfigVariables } from '@th/platform';
import { DOMAINS } from '@th/registry';

function rows(variables: ConfigVariables): string[] {
  return Object.entries(variables).map(([name, variable]) => {
    const shown =
      variable.defaultText === '(unset)' || variable.defaultText === '(empty)'
        ? variable.defaultText
        : `\`${variable.defaultText}\``;
    return `| \`${name}\` | ${shown} | ${variable.description} |`;
  });
}

/** The README's table of environment variables: the platform's, then each domain's. */
export function envTable(): string {
  const sections = [
    ['all apps', CONFIG_VARIABLES] as const,
    ...DOMAINS.map((domain) => [domain.name, domain.config] as const),
  ];
  return [
    '| variable | default | meaning |',
    '|---|---|---|',
    ...sections.flatMap(([owner, variables]) =>
      Object.keys(variables).length === 0 ? [] : [`| **${owner}** | | |`, ...rows(variables)],
    ),
  ].join('\n');
}

const START = '<!-- env-table:start (npm run docs:env) -->';
const END = '<!-- env-table:end -->';

/** The README with its table (between the env-table markers) replaced by the current one. */
export function withEnvTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${envTable()}\n${readme.slice(end)}`;
}
