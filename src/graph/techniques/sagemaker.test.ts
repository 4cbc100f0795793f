import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques, type CustomTwin } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/sagemaker-admin';
const NOTEBOOK = 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/research-notebook';

/** An admin role SageMaker may assume (passed role, or a notebook's execution role). */
function sagemakerAdmin(estate: TestEstate, service = 'sagemaker.amazonaws.com'): string {
  return estate.role('sagemaker-admin', {
    trust: trust({ Service: service }),
    attached: [ADMIN_ACCESS],
  });
}

/** An existing notebook instance whose execution role is admin. */
function adminNotebook(estate: TestEstate): string {
  const role = sagemakerAdmin(estate);
  estate.resource('AWS::SageMaker::NotebookInstance', NOTEBOOK, { role });
  return role;
}

const otherService: CustomTwin = {
  name: 'the passed role trusts another service',
  replaceSetup: true,
  setup: (estate) => {
    sagemakerAdmin(estate, 'glue.amazonaws.com');
  },
};

const noNotebook: CustomTwin = {
  name: 'no notebook instance runs with the role',
  replaceSetup: true,
  setup: (estate) => {
    sagemakerAdmin(estate);
    estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::training-data');
  },
};

describeTechniques('SageMaker techniques', [
  {
    technique: 'sagemaker-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow(
          'sagemaker:CreateNotebookInstance',
          'arn:aws:sagemaker:*:111122223333:notebook-instance/*',
        ),
      ],
    },
    setup: (estate) => sagemakerAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'sagemaker-002',
    actor: {
      type: 'role',
      statements: [
        allow('iam:PassRole', ROLE, {
          Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
        }),
        allow('sagemaker:CreateTrainingJob', 'arn:aws:sagemaker:*:111122223333:training-job/*'),
      ],
    },
    setup: (estate) => sagemakerAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'sagemaker-003',
    actor: {
      type: 'user',
      statements: [allow('iam:PassRole', ROLE), allow('sagemaker:CreateProcessingJob', '*')],
    },
    setup: (estate) => sagemakerAdmin(estate),
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', otherService],
  },
  {
    technique: 'sagemaker-004',
    actor: {
      type: 'user',
      statements: [allow('sagemaker:CreatePresignedNotebookInstanceUrl', NOTEBOOK)],
    },
    setup: adminNotebook,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', noNotebook],
  },
  {
    technique: 'sagemaker-005',
    actor: {
      type: 'role',
      statements: [
        allow(
          'sagemaker:CreateNotebookInstanceLifecycleConfig',
          'arn:aws:sagemaker:*:111122223333:notebook-instance-lifecycle-config/*',
        ),
        allow(
          [
            'sagemaker:StopNotebookInstance',
            'sagemaker:UpdateNotebookInstance',
            'sagemaker:StartNotebookInstance',
          ],
          NOTEBOOK,
        ),
      ],
    },
    setup: adminNotebook,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp', noNotebook],
  },
]);
