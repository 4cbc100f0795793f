import { describe, expect, it } from 'vitest';
import { formatResourceType, safeConsoleUrl, shortArn } from './format.ts';

describe('safeConsoleUrl (the only AWS-derived link the UI makes)', () => {
  it.each([
    'https://console.aws.amazon.com/iam/home#/roles/details/ci-deployer',
    'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/payments-api?tab=permissions',
    'https://s3.console.aws.amazon.com/s3/buckets/releases?tab=permissions',
    'https://console.aws.amazon.com/iam/home#/users/details/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
  ])('keeps the AWS console page %s', (url) => {
    expect(safeConsoleUrl(url)).toBe(url);
  });

  it.each([
    ['javascript:alert(1)', 'another scheme'],
    ['http://console.aws.amazon.com/iam/home', 'plain http'],
    ['https://console.aws.amazon.com.evil.example/iam/home', 'a look-alike host'],
    ['https://evil.example/?https://console.aws.amazon.com/', 'the console only in the query'],
    ['https://user@console.aws.amazon.com/iam/home', 'credentials in the URL'],
    ['https://console.aws.amazon.com:8443/iam/home', 'another port'],
    ['https://evilconsole.aws.amazon.com/iam/home', 'a host that only ends like the console'],
    ['//console.aws.amazon.com/iam/home', 'a scheme-relative URL'],
    ['', 'nothing'],
  ])('refuses %s (%s)', (url) => {
    expect(safeConsoleUrl(url)).toBeNull();
  });

  it('refuses null', () => {
    expect(safeConsoleUrl(null)).toBeNull();
  });
});

describe('labels', () => {
  it('shortens resource types and ARNs', () => {
    expect(formatResourceType('AWS::IAM::Role')).toBe('IAM Role');
    expect(formatResourceType('AWS::Lambda::Function')).toBe('Lambda Function');
    expect(shortArn('arn:aws:iam::100000000001:role/service-role/ci-deployer')).toBe('ci-deployer');
    expect(shortArn('arn:aws:s3:::releases')).toBe('releases');
  });
});
