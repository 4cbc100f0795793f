/**
 * Amazon SageMaker techniques: pass a role to a new notebook instance, training job or processing
 * job that runs the attacker's code (new-passrole), or open or re-script a notebook instance that
 * already runs with a role (existing-passrole).
 * Sources: pathfinding.cloud data/paths/sagemaker, anchors.md §B.9 rows 52–54, 72 and 73.
 */
import type { PermissionSpec, Technique } from './types.js';

const SAGEMAKER = 'sagemaker.amazonaws.com';
const passRole: PermissionSpec = { action: 'iam:PassRole', on: 'role' };
const arn = (type: string): string => `arn:aws:sagemaker:{region}:{account}:${type}/iamsight-probe`;
const NOTEBOOKS = ['AWS::SageMaker::NotebookInstance'] as const;

export const SAGEMAKER_TECHNIQUES: readonly Technique[] = [
  {
    id: 'sagemaker-001',
    name: 'iam:PassRole + sagemaker:CreateNotebookInstance',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: SAGEMAKER },
    permissions: [
      passRole,
      {
        action: 'sagemaker:CreateNotebookInstance',
        on: 'new',
        arn: arn('notebook-instance'),
      },
    ],
    gain: 'target',
    reason:
      '{actor} can create a SageMaker notebook instance that runs as {target} and run code in its Jupyter environment',
    source: 'pathfinding.cloud sagemaker-001; anchors §B.9 row 52',
  },
  {
    id: 'sagemaker-002',
    name: 'iam:PassRole + sagemaker:CreateTrainingJob',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: SAGEMAKER },
    permissions: [
      passRole,
      { action: 'sagemaker:CreateTrainingJob', on: 'new', arn: arn('training-job') },
    ],
    gain: 'target',
    reason:
      '{actor} can create a SageMaker training job that runs its own container or script as {target}',
    source: 'pathfinding.cloud sagemaker-002; anchors §B.9 row 53',
  },
  {
    id: 'sagemaker-003',
    name: 'iam:PassRole + sagemaker:CreateProcessingJob',
    category: 'new-passrole',
    target: { kind: 'passable-role', service: SAGEMAKER },
    permissions: [
      passRole,
      { action: 'sagemaker:CreateProcessingJob', on: 'new', arn: arn('processing-job') },
    ],
    gain: 'target',
    reason:
      '{actor} can create a SageMaker processing job that runs its own container or script as {target}',
    source: 'pathfinding.cloud sagemaker-003; anchors §B.9 row 54',
  },
  {
    id: 'sagemaker-004',
    name: 'sagemaker:CreatePresignedNotebookInstanceUrl',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: NOTEBOOKS },
    permissions: [{ action: 'sagemaker:CreatePresignedNotebookInstanceUrl', on: 'target' }],
    gain: 'target',
    reason:
      '{actor} can open {resource}, a SageMaker notebook instance that runs as {target}, and run code in it',
    source: 'pathfinding.cloud sagemaker-004; anchors §B.9 row 72',
  },
  {
    id: 'sagemaker-005',
    name: 'sagemaker:CreateNotebookInstanceLifecycleConfig + sagemaker:StopNotebookInstance + sagemaker:UpdateNotebookInstance + sagemaker:StartNotebookInstance',
    category: 'existing-passrole',
    target: { kind: 'resource-role', resourceTypes: NOTEBOOKS },
    permissions: [
      {
        action: 'sagemaker:CreateNotebookInstanceLifecycleConfig',
        on: 'new',
        arn: arn('notebook-instance-lifecycle-config'),
      },
      { action: 'sagemaker:StopNotebookInstance', on: 'target' },
      { action: 'sagemaker:UpdateNotebookInstance', on: 'target' },
      { action: 'sagemaker:StartNotebookInstance', on: 'target' },
    ],
    gain: 'target',
    reason:
      '{actor} can attach its own lifecycle script to {resource}, a SageMaker notebook instance that runs as {target}, and restart it to run the script',
    source: 'pathfinding.cloud sagemaker-005; anchors §B.9 row 73',
  },
];
