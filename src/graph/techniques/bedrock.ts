/**
 * Amazon Bedrock AgentCore techniques: create a code interpreter whose execution role is the
 * passed role, or use one that already has a role, and run Python in it that reads the role's
 * credentials from the MicroVM metadata service.
 * Sources: pathfinding.cloud data/paths/bedrock, anchors.md §B.9 rows 56 and 75.
 */
import type { Technique } from './types.js';

const INTERPRETER =
  'arn:aws:bedrock-agentcore:{region}:{account}:code-interpreter-custom/iamsight-probe';

export const BEDROCK_TECHNIQUES: readonly Technique[] = [
  {
    id: 'bedrock-001',
    name: 'iam:PassRole + bedrock-agentcore:CreateCodeInterpreter + bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: 'bedrock-agentcore.amazonaws.com' },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      // CreateCodeInterpreter has no resource-level permissions.
      { action: 'bedrock-agentcore:CreateCodeInterpreter', on: 'any' },
      { action: 'bedrock-agentcore:StartCodeInterpreterSession', on: 'new', arn: INTERPRETER },
      { action: 'bedrock-agentcore:InvokeCodeInterpreter', on: 'new', arn: INTERPRETER },
    ],
    gain: 'target',
    reason:
      '{actor} can create an AgentCore code interpreter whose execution role is {target} and run its own code in a session of it',
    source: 'pathfinding.cloud bedrock-001; anchors §B.9 row 56',
  },
  {
    id: 'bedrock-002',
    name: 'bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: ['AWS::BedrockAgentCore::CodeInterpreter'] },
    permissions: [
      { action: 'bedrock-agentcore:StartCodeInterpreterSession', on: 'target' },
      { action: 'bedrock-agentcore:InvokeCodeInterpreter', on: 'target' },
    ],
    gain: 'target',
    reason:
      '{actor} can start a session of {resource}, a code interpreter whose execution role is {target}, and run its own code in it',
    source: 'pathfinding.cloud bedrock-002; anchors §B.9 row 75',
  },
];
