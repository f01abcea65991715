/** A PR as people write it: the collector's id when it names its repo (`acme/app#42`), else repo#id. */
export function prLabel(repoName: string, prId: string): string {
  return prId.includes('#') ? prId : `${repoName}#${prId}`;
}
