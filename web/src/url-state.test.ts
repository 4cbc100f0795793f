import { describe, expect, it } from 'vitest';
import { explorerHref, explorerStateOf } from './url-state.ts';

describe('the explorer state in the URL', () => {
  it('reads repeated and comma-separated filters, search, panel and tab', () => {
    const state = explorerStateOf(
      new URLSearchParams(
        'group=resource&status=open&severity=critical,high&account=100000000001&q=deploy&resource=arn%3Aaws%3Aiam%3A%3A100000000001%3Arole%2Fci&tab=access',
      ),
    );
    expect(state).toEqual({
      group: 'resource',
      status: ['open'],
      severity: ['critical', 'high'],
      account: ['100000000001'],
      resourceType: [],
      rule: [],
      q: 'deploy',
      finding: null,
      resource: 'arn:aws:iam::100000000001:role/ci',
      tab: 'access',
    });
  });

  it('defaults to grouping by risk, and unknown groupings fall back to it', () => {
    expect(explorerStateOf(new URLSearchParams('')).group).toBe('risk');
    expect(explorerStateOf(new URLSearchParams('group=team')).group).toBe('risk');
  });

  it('writes a state back to the same state, leaving defaults out', () => {
    const href = explorerHref({
      group: 'none',
      severity: ['high'],
      rule: ['TRU-01'],
      q: 'a b&c',
      finding: '0123abcd',
    });
    expect(href).toBe('/explorer?group=none&severity=high&rule=TRU-01&q=a+b%26c&finding=0123abcd');
    const url = new URL(href, 'http://localhost');
    expect(explorerStateOf(url.searchParams)).toMatchObject({
      group: 'none',
      severity: ['high'],
      rule: ['TRU-01'],
      q: 'a b&c',
      finding: '0123abcd',
    });
    expect(explorerHref({ group: 'risk' })).toBe('/explorer');
  });
});
