import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques, type CustomTwin } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/codebuild-admin';
const PROJECT = 'arn:aws:codebuild:us-east-1:111122223333:project/release-pipeline';

/** An admin role CodeBuild may assume (passed role, or a project's service role). */
function codebuildAdmin(estate: TestEstate, service = 'codebuild.amazonaws.com'): string {
  return estate.role('codebuild-admin', {
    trust: trust({ Service: service }),
    attached: [ADMIN_ACCESS],
  });
}

/** An existing project whose service role is admin. */
function adminProject(estate: TestEstate): string {
  const role = codebuildAdmin(estate);
  estate.resource('AWS::CodeBuild::Project', PROJECT, { role });
  return role;
}

const otherService: CustomTwin = {
  name: 'the passed role trusts another service',
  replaceSetup: true,
  setup: (estate) => {
    codebuildAdmin(estate, 'codepipeline.amazonaws.com');
  },
};

const noProject: CustomTwin = {
  name: 'no project runs with the role',
  replaceSetup: true,
  setup: (estate) => {
    codebuildAdmin(estate);
    estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::build-artifacts');
  },
};

describeTechniques('CodeBuild techniques', [
  {
    technique: 'codebuild-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow(
          ['codebuild:CreateProject', 'codebuild:StartBuild'],
          'arn:aws:codebuild:*:111122223333:project/*',
        ),
      ],
    },
    setup: (estate) => codebuildAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'codebuild-004',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'codebuild.amazonaws.com' } },
        }),
        allow(['codebuild:CreateProject', 'codebuild:StartBuildBatch'], '*'),
      ],
    },
    setup: (estate) => codebuildAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'codebuild-002',
    actor: { type: 'user', statements: [allow('codebuild:StartBuild', PROJECT)] },
    setup: adminProject,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', noProject],
  },
  {
    technique: 'codebuild-003',
    actor: { type: 'role', statements: [allow('codebuild:StartBuildBatch', PROJECT)] },
    setup: adminProject,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', noProject],
  },
]);
