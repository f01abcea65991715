import { CONFIG_VARIABLES } from '@th/platform';

/** `npm run docs:env`: prints the README's table of environment variables from the config schema. */
const rows = Object.entries(CONFIG_VARIABLES).map(
  ([name, variable]) =>
    `| \`${name}\` | ${variable.defaultText === '(unset)' || variable.defaultText === '(empty)' ? variable.defaultText : `\`${variable.defaultText}\``} | ${variable.description} |`,
);
process.stdout.write(['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n') + '\n');
