/**
 * The kinds of data a detection may need (see {@link Requirement} in ./types.ts for what each
 * means). One list for the rules, the coverage of a scan and the HTTP API's contract; this module
 * imports nothing, so the web UI's types can read it too.
 */
export const REQUIREMENTS = [
  'iam',
  'credential-report',
  'resources',
  'organization',
  'cloudtrail',
  'service-last-accessed',
] as const;

export type Requirement = (typeof REQUIREMENTS)[number];
