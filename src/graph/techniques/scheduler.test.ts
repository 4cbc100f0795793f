import { ADMIN_ACCESS, allow, trust, type TestEstate } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ROLE = 'arn:aws:iam::111122223333:role/scheduler-admin';

function scheduleRole(service: string) {
  return (estate: TestEstate): string =>
    estate.role('scheduler-admin', {
      trust: trust({ Service: service }),
      attached: [ADMIN_ACCESS],
    });
}

describeTechniques('EventBridge Scheduler techniques', [
  {
    technique: 'scheduler-001',
    actor: {
      type: 'role',
      statements: [
        // As AmazonEventBridgeSchedulerFullAccess writes it, on one role.
        allow('iam:PassRole', ROLE, {
          Condition: { StringLike: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
        allow('scheduler:CreateSchedule', 'arn:aws:scheduler:*:111122223333:schedule/*'),
      ],
    },
    setup: scheduleRole('scheduler.amazonaws.com'),
    twins: [
      'missing-permission',
      'resource-mismatch',
      'deny',
      'boundary',
      'scp',
      {
        name: 'the passed role trusts another service',
        replaceSetup: true,
        setup: (estate) => void scheduleRole('events.amazonaws.com')(estate),
      },
    ],
  },
]);
