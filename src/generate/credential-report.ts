/** Renders an account's IAM credential report (the decoded CSV of `GetCredentialReport`). */
import { CREDENTIAL_REPORT_COLUMNS } from '../model/index.js';
import { isoOffset } from './dates.js';
import type { AccessKeyEntity, AccountBuilder } from './estate.js';

function keyColumns(key: AccessKeyEntity | undefined): string[] {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  return [
    String(key.active),
    isoOffset(key.created),
    key.lastUsed ? isoOffset(key.lastUsed) : 'N/A',
    key.lastUsed ? key.region : 'N/A',
    key.lastUsed ? key.service : 'N/A',
  ];
}

const NO_CERTIFICATES = ['false', 'N/A', 'false', 'N/A'];

/** Renders the credential report CSV (no trailing newline, as AWS delivers it). */
export function renderCredentialReport(b: AccountBuilder): string {
  const lines: string[] = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  lines.push(
    [
      '<root_account>',
      b.rootArn,
      isoOffset(b.root.created),
      'not_supported',
      b.root.passwordLastUsed ? isoOffset(b.root.passwordLastUsed) : 'no_information',
      'not_supported',
      'not_supported',
      String(b.root.mfa),
      ...keyColumns(b.root.keys[0]),
      ...keyColumns(b.root.keys[1]),
      ...NO_CERTIFICATES,
    ].join(','),
  );
  for (const user of b.users) {
    const password = user.password;
    lines.push(
      [
        user.name,
        user.arn,
        isoOffset(user.created),
        String(password !== null),
        password ? (password.lastUsed ? isoOffset(password.lastUsed) : 'no_information') : 'N/A',
        password ? isoOffset(password.changed) : 'N/A',
        'N/A',
        String(user.mfa),
        ...keyColumns(user.keys[0]),
        ...keyColumns(user.keys[1]),
        ...NO_CERTIFICATES,
      ].join(','),
    );
  }
  return lines.join('\n');
}
