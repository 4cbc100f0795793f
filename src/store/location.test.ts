import { describe, expect, it } from 'vitest';
import { describeLocation, redactUrl, resolveStoreLocation } from './location.js';

const HOME = '/home/dev-alice';

describe('store location', () => {
  it('defaults to the per-user data folder, XDG_DATA_HOME first', () => {
    expect(resolveStoreLocation(undefined, {}, HOME)).toEqual({
      kind: 'sqlite',
      dir: '/home/dev-alice/.local/share/iamsight',
      file: '/home/dev-alice/.local/share/iamsight/iamsight.db',
    });
    expect(resolveStoreLocation(undefined, { XDG_DATA_HOME: '/data/alice' }, HOME)).toMatchObject({
      file: '/data/alice/iamsight/iamsight.db',
    });
    // The XDG specification: a relative value is invalid and ignored.
    expect(resolveStoreLocation(undefined, { XDG_DATA_HOME: 'rel' }, HOME)).toMatchObject({
      dir: '/home/dev-alice/.local/share/iamsight',
    });
  });

  it('takes --store over IAMSIGHT_STORE over the default', () => {
    const env = { IAMSIGHT_STORE: '/srv/iamsight', XDG_DATA_HOME: '/data' };
    expect(resolveStoreLocation(undefined, env, HOME)).toMatchObject({ dir: '/srv/iamsight' });
    expect(resolveStoreLocation('/tmp/s', env, HOME)).toMatchObject({ file: '/tmp/s/iamsight.db' });
    expect(
      resolveStoreLocation('postgres://ciem:s3cret@db.internal:5432/iamsight', env, HOME),
    ).toEqual({ kind: 'postgres', url: 'postgres://ciem:s3cret@db.internal:5432/iamsight' });
    expect(resolveStoreLocation('postgresql://db/iamsight', {}, HOME).kind).toBe('postgres');
  });

  it('refuses other URL schemes and never shows a password', () => {
    expect(() => resolveStoreLocation('mysql://db/iamsight', {}, HOME)).toThrow(
      /expected a folder or a postgres:\/\/ URL, got "mysql:\/\/…"/,
    );
    expect(redactUrl('postgres://ciem:s3cret@db:5432/iamsight')).toBe(
      'postgres://ciem:***@db:5432/iamsight',
    );
    expect(
      describeLocation(resolveStoreLocation('postgres://ciem:s3cret@db/x', {}, HOME)),
    ).not.toContain('s3cret');
    expect(() => resolveStoreLocation('postgres://ciem:s3cret@[bad/x', {}, HOME)).toThrow(
      /^(?!.*s3cret).*not a valid PostgreSQL URL/,
    );
  });
});
