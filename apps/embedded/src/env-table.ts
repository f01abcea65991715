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
