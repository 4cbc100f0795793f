/**
 * "Fix in AWS": the console page of the exact resource a finding is about. Names and ids come
 * from AWS (attacker-controlled text) and are URL-encoded into the link.
 */
import { parseArn } from '../model/index.js';

const IAM = 'https://console.aws.amazon.com/iam/home';
const enc = encodeURIComponent;

function regional(service: string, region: string, fragment: string): string {
  return `https://${region}.console.aws.amazon.com/${service}/home?region=${enc(region)}#${fragment}`;
}

/** The console URL of a resource, or null when iamsight knows no page for its type. */
export function consoleUrlOf(resource: {
  readonly arn: string;
  readonly type: string;
  readonly name: string;
  readonly region?: string | null;
}): string | null {
  const arn = parseArn(resource.arn);
  const region = resource.region || arn?.region || 'us-east-1';
  const tail = arn?.resource.slice(arn.resource.lastIndexOf('/') + 1) ?? resource.name;
  switch (resource.type) {
    case 'AWS::IAM::User':
      return `${IAM}#/users/details/${enc(resource.name)}`;
    case 'AWS::IAM::Role':
      return `${IAM}#/roles/details/${enc(resource.name)}`;
    case 'AWS::IAM::Group':
      return `${IAM}#/groups/details/${enc(resource.name)}`;
    case 'AWS::IAM::ManagedPolicy':
      return `${IAM}#/policies/details/${enc(resource.arn)}`;
    case 'AWS::IAM::Root':
      return `${IAM}#/security_credentials`;
    case 'AWS::IAM::OIDCProvider':
    case 'AWS::IAM::SAMLProvider':
      return `${IAM}#/identity_providers/details/${resource.type === 'AWS::IAM::OIDCProvider' ? 'OPENID' : 'SAML'}/${enc(resource.arn)}`;
    case 'AWS::S3::Bucket':
      return `https://s3.console.aws.amazon.com/s3/buckets/${enc(resource.name)}?tab=permissions`;
    case 'AWS::KMS::Key':
      return regional('kms', region, `/kms/keys/${enc(tail)}`);
    case 'AWS::Lambda::Function':
      return regional('lambda', region, `/functions/${enc(resource.name)}?tab=permissions`);
    case 'AWS::EC2::Instance':
      return regional('ec2', region, `InstanceDetails:instanceId=${enc(tail)}`);
    case 'AWS::EC2::SecurityGroup':
      return regional('ec2', region, `SecurityGroup:groupId=${enc(tail)}`);
    case 'AWS::SQS::Queue':
      return regional(
        'sqs',
        region,
        `/queues/${enc(`https://sqs.${region}.amazonaws.com/${arn?.accountId ?? ''}/${resource.name}`)}`,
      );
    case 'AWS::SNS::Topic':
      return regional('sns', region, `/topic/${enc(resource.arn)}`);
    case 'AWS::SecretsManager::Secret':
      return regional('secretsmanager', region, `/secret?name=${enc(resource.name)}`);
    case 'AWS::ECR::Repository':
      return regional(
        'ecr',
        region,
        `/repositories/private/${enc(arn?.accountId ?? '')}/${enc(resource.name)}?tab=permissions`,
      );
    case 'AWS::CloudFormation::Stack':
      return regional('cloudformation', region, `/stacks/stackinfo?stackId=${enc(resource.arn)}`);
    case 'AWS::CodeBuild::Project':
      return regional('codesuite/codebuild', region, `/projects/${enc(resource.name)}`);
    default:
      return null;
  }
}
