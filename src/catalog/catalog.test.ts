import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accessLevelOf,
  actionIndex,
  actionName,
  actionsOfService,
  conditionKeysOfAction,
  isGlobalConditionKey,
  isKnownAction,
  loadCatalog,
  resourceTypesOfAction,
  serviceOf,
} from './default-catalog.js';
import type { RawAction } from './iam-data-source.js';
import { iamDataPackageRoot } from './iam-data-source.js';

const dataDir = join(iamDataPackageRoot(), 'data');

function readData<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(dataDir, ...parts), 'utf8')) as T;
}

describe('loadCatalog', () => {
  const catalog = loadCatalog();

  it('is one shared instance', () => {
    expect(loadCatalog()).toBe(catalog);
  });

  it('holds every service and action of the installed data', () => {
    const services = readData<string[]>('services.json');
    const actionTotal = services.reduce(
      (sum, service) => sum + Object.keys(readData(`actions`, `${service}.json`)).length,
      0,
    );
    expect(catalog.serviceCount).toBe(services.length);
    expect(catalog.actionCount).toBe(actionTotal);
    expect(catalog.serviceCount).toBeGreaterThanOrEqual(400);
    expect(catalog.actionCount).toBeGreaterThanOrEqual(20_000);
  });

  it('names the data version and date from the package', () => {
    const pkg = JSON.parse(readFileSync(join(iamDataPackageRoot(), 'package.json'), 'utf8')) as {
      version: string;
      updatedAt: string;
    };
    expect(catalog.version).toBe(pkg.version);
    expect(catalog.updatedAt).toBe(pkg.updatedAt);
    expect(Number.isNaN(Date.parse(catalog.updatedAt))).toBe(false);
  });

  it('knows services with their display names', () => {
    expect(catalog.service('S3')).toMatchObject({ key: 's3', name: 'Amazon S3' });
    expect(catalog.service('iam')?.name).toMatch(/Identity and Access Management/);
    expect(catalog.service('nosuchservice')).toBeUndefined();
  });
});

describe('action lookups', () => {
  const catalog = loadCatalog();

  it('finds known actions in any casing and gives their canonical names', () => {
    for (const name of ['iam:PassRole', 's3:GetObject', 'sts:AssumeRole']) {
      expect(isKnownAction(name)).toBe(true);
      expect(isKnownAction(name.toUpperCase())).toBe(true);
      expect(actionName(actionIndex(name.toLowerCase())!)).toBe(name);
      expect(catalog.canonicalActionName(name.toLowerCase())).toBe(name);
    }
    expect(isKnownAction('iam:PassRoles')).toBe(false);
    expect(isKnownAction('iam:*')).toBe(false);
    expect(actionIndex('iam:PassRoles')).toBeUndefined();
  });

  it('numbers actions densely, sorted by service then action, with each service contiguous', () => {
    const names = catalog.allActions().toActions();
    expect(names).toHaveLength(catalog.actionCount);
    expect(names.filter((name, index) => actionIndex(name) !== index)).toEqual([]);
    const keyOf = (name: string): [string, string] => {
      const [service = '', action = ''] = name.toLowerCase().split(':');
      return [service, action];
    };
    const outOfOrder = names.filter((name, i) => {
      if (i === 0) return false;
      const [prevService, prevAction] = keyOf(names[i - 1]!);
      const [service, action] = keyOf(name);
      return !(prevService < service || (prevService === service && prevAction < action));
    });
    expect(outOfOrder).toEqual([]);
    const s3 = actionsOfService('s3')!.toIndexes();
    expect(s3[s3.length - 1]! - s3[0]! + 1).toBe(s3.length);
    expect(actionName(s3[0]!)).toMatch(/^s3:/);
    expect(actionsOfService('nosuchservice')).toBeUndefined();
  });

  it('throws a RangeError for an index outside the catalog', () => {
    expect(() => actionName(-1)).toThrow(RangeError);
    expect(() => actionName(catalog.actionCount)).toThrow(RangeError);
  });

  it('gives the service of an action only when the service is known', () => {
    expect(serviceOf('IAM:PassRole')).toBe('iam');
    expect(serviceOf('s3:NoSuchAction')).toBe('s3');
    expect(serviceOf('nosuchservice:GetThing')).toBeUndefined();
  });
});

describe('access levels', () => {
  const catalog = loadCatalog();

  it('matches the raw data for every action of a few services', () => {
    for (const service of ['iam', 's3', 'ec2', 'kms']) {
      const raw = readData<Record<string, RawAction>>('actions', `${service}.json`);
      for (const action of Object.values(raw)) {
        const levels = action.accessLevel.split(', ').sort();
        expect([...catalog.accessLevelsOf(`${service}:${action.name}`)!].sort()).toEqual(levels);
      }
    }
  });

  it('prefers the specific level over Write', () => {
    expect(accessLevelOf('iam:PassRole')).toBe('Write');
    expect(accessLevelOf('iam:CreatePolicyVersion')).toBe('Permissions management');
    expect(accessLevelOf('s3:PutBucketPolicy')).toBe('Permissions management');
    expect(accessLevelOf('iam:TagRole')).toBe('Tagging');
    expect(accessLevelOf('s3:GetObject')).toBe('Read');
    expect(accessLevelOf('s3:ListAllMyBuckets')).toBe('List');
    expect(accessLevelOf('iam:NoSuchAction')).toBeUndefined();
  });

  it('lists permissions-management actions, all of which are write actions', () => {
    const management = catalog.permissionsManagementActions();
    const write = catalog.actionsWithAccessLevel('Write');
    expect(management.has(actionIndex('iam:AttachRolePolicy')!)).toBe(true);
    expect(management.has(actionIndex('iam:PassRole')!)).toBe(false);
    expect(management.isSubsetOf(write)).toBe(true);
    expect(catalog.actionsWithAccessLevel('Read').intersects(write)).toBe(false);
    const levels = ['List', 'Read', 'Write'] as const;
    const covered = levels
      .map((level) => catalog.actionsWithAccessLevel(level))
      .reduce((a, b) => a.union(b));
    expect(covered.equals(catalog.allActions())).toBe(true);
  });
});

describe('resource types and condition keys', () => {
  const catalog = loadCatalog();

  it('gives the resource types an action needs, with ARN formats', () => {
    const passRole = resourceTypesOfAction('iam:passrole')!;
    expect(passRole).toEqual([
      expect.objectContaining({
        name: 'role',
        required: true,
        arn: expect.stringMatching(/:role\//),
      }),
    ]);
    const getObject = resourceTypesOfAction('s3:GetObject')!.map((type) => type.name);
    expect(getObject).toContain('object');
    expect(resourceTypesOfAction('s3:ListAllMyBuckets')).toEqual([]);
    expect(resourceTypesOfAction('s3:NoSuchAction')).toBeUndefined();
  });

  it('gives every resource type row of every action an ARN format', () => {
    for (const service of catalog.services()) {
      const actions = actionsOfService(service.key)!;
      actions.forEach((index) => {
        for (const type of catalog.resourceTypesOfAction(index)!) {
          expect(type.arn, `${catalog.actionName(index)} ${type.name}`).toMatch(/^arn:/);
        }
      });
    }
  });

  it('gives an action its action-level and resource-level condition keys', () => {
    expect(conditionKeysOfAction('iam:PassRole')).toEqual(
      expect.arrayContaining(['iam:PassedToService', 'iam:AssociatedResourceArn']),
    );
    expect(conditionKeysOfAction('s3:GetObject')).toContain('s3:ExistingObjectTag/<key>');
    expect(conditionKeysOfAction('iam:NoSuchAction')).toBeUndefined();
  });

  it('describes a service resource type and condition keys', () => {
    expect(catalog.resourceType('s3', 'Bucket')).toMatchObject({
      service: 's3',
      name: 'bucket',
      arn: 'arn:${Partition}:s3:::${BucketName}',
    });
    expect(catalog.resourceType('s3', 'nosuchtype')).toBeUndefined();
    expect(catalog.resourceTypesOfService('iam')!.map((type) => type.name)).toContain('role');
    expect(catalog.conditionKeysOfService('s3')!.map((key) => key.key)).toContain('s3:prefix');
    expect(catalog.conditionKeysOfService('nosuchservice')).toBeUndefined();
  });

  it('recognises global condition keys, including tag keys with a tag name', () => {
    expect(isGlobalConditionKey('aws:SourceIp')).toBe(true);
    expect(isGlobalConditionKey('AWS:PrincipalOrgID')).toBe(true);
    expect(isGlobalConditionKey('aws:PrincipalTag/team')).toBe(true);
    expect(isGlobalConditionKey('aws:RequestTag/env')).toBe(true);
    expect(isGlobalConditionKey('aws:PrincipalTag')).toBe(false);
    expect(isGlobalConditionKey('aws:PrincipalTag/')).toBe(false);
    expect(isGlobalConditionKey('s3:prefix')).toBe(false);
    expect(isGlobalConditionKey('aws:NoSuchKey')).toBe(false);
    expect(catalog.globalConditionKey('aws:MultiFactorAuthPresent')).toMatchObject({
      type: 'Bool',
      category: 'session',
    });
  });

  it('finds the definition of concrete condition keys through placeholders', () => {
    expect(catalog.findConditionKey('s3:ExistingObjectTag/env')).toMatchObject({
      key: 's3:ExistingObjectTag/<key>',
      type: 'String',
    });
    expect(catalog.findConditionKey('iam:ResourceTag/team')?.key).toBe('iam:ResourceTag/${TagKey}');
    expect(catalog.findConditionKey('IAM:PassedToService')?.type).toBe('String');
    expect(catalog.findConditionKey('aws:SourceIp')?.type).toBe('IPAddress');
    expect(catalog.findConditionKey('s3:NoSuchKey')).toBeUndefined();
    expect(catalog.findConditionKey('iam:ResourceTag/')).toBeUndefined();
  });
});
