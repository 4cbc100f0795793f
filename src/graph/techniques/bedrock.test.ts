import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/agentcore-admin';
const INTERPRETER =
  'arn:aws:bedrock-agentcore:us-east-1:111122223333:code-interpreter-custom/analyst_sandbox-Xy12Ab34Cd';

/** An admin role AgentCore may assume (code interpreter execution role). */
function agentcoreAdmin(estate: TestEstate, service = 'bedrock-agentcore.amazonaws.com'): string {
  return estate.role('agentcore-admin', {
    trust: trust({ Service: service }),
    attached: [ADMIN_ACCESS],
  });
}

describeTechniques('Bedrock AgentCore techniques', [
  {
    technique: 'bedrock-001',
    actor: {
      type: 'user',
      statements: [
        allow('iam:PassRole', ROLE),
        allow('bedrock-agentcore:CreateCodeInterpreter', '*'),
        allow(
          [
            'bedrock-agentcore:StartCodeInterpreterSession',
            'bedrock-agentcore:InvokeCodeInterpreter',
          ],
          'arn:aws:bedrock-agentcore:*:111122223333:code-interpreter-custom/*',
        ),
      ],
    },
    setup: (estate) => agentcoreAdmin(estate),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => {
          agentcoreAdmin(estate, 'bedrock.amazonaws.com');
        },
      },
    ],
  },
  {
    technique: 'bedrock-002',
    actor: {
      type: 'role',
      statements: [
        allow(
          [
            'bedrock-agentcore:StartCodeInterpreterSession',
            'bedrock-agentcore:InvokeCodeInterpreter',
          ],
          INTERPRETER,
        ),
      ],
    },
    setup: (estate) => {
      const role = agentcoreAdmin(estate);
      estate.resource('AWS::BedrockAgentCore::CodeInterpreter', INTERPRETER, { role });
      return role;
    },
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'no code interpreter runs with the role',
        replaceSetup: true,
        setup: (estate) => {
          agentcoreAdmin(estate);
          estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::analyst-data');
        },
      },
    ],
  },
]);
