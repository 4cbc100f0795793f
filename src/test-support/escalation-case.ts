/**
 * Technique fixtures: one positive case per technique and its negative twins, run through the
 * whole analysis (importer → engine → escalation search).
 *
 * The actor's statements are written by hand from the pathfinding.cloud entry (never generated
 * from the technique definition under test). The standard twins mutate them:
 * - `missing-permission`: each action is removed in turn;
 * - `resource-mismatch`: every Resource other than `*` is pointed elsewhere;
 * - `deny`: another policy denies the first action;
 * - `boundary`: a permissions boundary allows everything but the first action;
 * - `scp`: an SCP denies the first action;
 * plus custom twins (a passed role trusting another service, a missing compute resource, ...).
 */
import { describe, expect, it } from 'vitest';
import { analyzeAccess } from '../graph/index.js';
import { TestEstate, deny, doc, type Statement } from './estate.js';

export type StandardTwin = 'missing-permission' | 'resource-mismatch' | 'deny' | 'boundary' | 'scp';

export interface CustomTwin {
  readonly name: string;
  /** Changes the estate after `setup` (e.g. re-creates the target differently). */
  readonly setup: (estate: TestEstate, actor: string) => void;
  /** Replaces the case's setup for this twin. */
  readonly replaceSetup?: boolean;
}

export interface EscalationCase {
  readonly technique: string;
  readonly name?: string;
  readonly actor: {
    readonly type: 'user' | 'role';
    readonly name?: string;
    /** The actor's inline policy: exactly the technique's permissions, written from its docs. */
    readonly statements: readonly Statement[];
    readonly groups?: readonly string[];
    readonly keys?: number;
    readonly password?: boolean;
    /** Managed policy ARNs attached to the actor (e.g. a customer policy for iam-001). */
    readonly attached?: (estate: TestEstate) => string[];
    readonly boundary?: (estate: TestEstate) => string;
  };
  /** Creates targets and prerequisites. Returns the ARN the step must reach (the actor's for self). */
  readonly setup: (estate: TestEstate, actor: string) => string;
  readonly twins?: readonly (StandardTwin | CustomTwin)[];
  /** Whether the step is expected to be conditional (undecidable condition or unknown fact). */
  readonly conditional?: boolean;
}

const ACCOUNT = '111122223333';

function actorArn(c: EscalationCase): string {
  const name = c.actor.name ?? `${c.technique}-actor`;
  return `arn:aws:iam::${ACCOUNT}:${c.actor.type}/${name}`;
}

function actionsOf(statements: readonly Statement[]): string[] {
  return [
    ...new Set(
      statements.flatMap((s) => {
        const action = s.Action;
        return Array.isArray(action) ? (action as string[]) : action ? [String(action)] : [];
      }),
    ),
  ];
}

function build(
  c: EscalationCase,
  statements: readonly Statement[],
  extra: (
    estate: TestEstate,
    actor: string,
  ) => { boundary?: string; inline?: Statement[][] } = () => ({}),
  twin?: CustomTwin,
): { estate: TestEstate; actor: string; expected: string } {
  const estate = new TestEstate(ACCOUNT);
  const arn = actorArn(c);
  const name = c.actor.name ?? `${c.technique}-actor`;
  const more = extra(estate, arn);
  const boundary = more.boundary ?? c.actor.boundary?.(estate);
  const inline = [doc(...statements), ...(more.inline ?? []).map((s) => doc(...s))];
  const options = {
    inline,
    attached: c.actor.attached?.(estate) ?? [],
    ...(boundary ? { boundary } : {}),
  };
  if (c.actor.type === 'user') {
    estate.user(name, {
      ...options,
      groups: c.actor.groups ?? [],
      ...(c.actor.keys !== undefined ? { keys: c.actor.keys } : {}),
      ...(c.actor.password !== undefined ? { password: c.actor.password } : {}),
    });
  } else {
    estate.role(name, {
      ...options,
      trust: doc({
        Effect: 'Allow',
        Principal: { Service: 'ec2.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    });
  }
  const expected = twin?.replaceSetup ? arn : c.setup(estate, arn);
  twin?.setup(estate, arn);
  return { estate, actor: arn, expected };
}

async function stepsOf(estate: TestEstate, actor: string) {
  const analysis = analyzeAccess(await estate.snapshot());
  return { analysis, steps: analysis.leading.get(actor) ?? [] };
}

/** Declares the tests of a list of technique cases. */
export function describeTechniques(title: string, cases: readonly EscalationCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      describe(c.name ?? c.technique, () => {
        it('is found, with the expected target', async () => {
          const { estate, actor, expected } = build(c, c.actor.statements);
          const { analysis, steps } = await stepsOf(estate, actor);
          const matching = steps.filter((s) => s.technique === c.technique);
          expect(
            matching.map((s) => s.to),
            `steps: ${JSON.stringify(steps.map((s) => [s.technique, s.to]))}; status ${JSON.stringify(analysis.status.get(actor))}`,
          ).toContain(expected);
          const step = matching.find((s) => s.to === expected)!;
          expect(step.conditional).toBe(c.conditional ?? false);
          expect(step.reason.length).toBeGreaterThan(20);
          expect(analysis.escalations.get(actor)).toBeDefined();
        });

        for (const twin of c.twins ?? []) {
          if (typeof twin !== 'string') {
            it(`is not found: ${twin.name}`, async () => {
              const { estate, actor } = build(c, c.actor.statements, undefined, twin);
              const { steps } = await stepsOf(estate, actor);
              expect(steps.map((s) => s.technique)).not.toContain(c.technique);
            });
            continue;
          }
          const actions = actionsOf(c.actor.statements);
          const first = actions[0]!;
          switch (twin) {
            case 'missing-permission':
              for (const action of actions) {
                it(`is not found without ${action}`, async () => {
                  const statements = c.actor.statements.flatMap((s) => {
                    const list = actionsOf([s]).filter((a) => a !== action);
                    return list.length > 0 ? [{ ...s, Action: list }] : [];
                  });
                  const { estate, actor } = build(c, statements);
                  const { steps } = await stepsOf(estate, actor);
                  expect(steps.map((s) => s.technique)).not.toContain(c.technique);
                });
              }
              break;
            case 'resource-mismatch':
              it('is not found when the resources do not match the target', async () => {
                const statements = c.actor.statements.map((s) => {
                  const resource = s.Resource;
                  const list = Array.isArray(resource)
                    ? (resource as string[])
                    : [String(resource)];
                  if (list.every((r) => r === '*')) return s;
                  return {
                    ...s,
                    Resource: list.map((r) =>
                      r === '*' ? r : `${r.replace(/\*$/, '')}-elsewhere`,
                    ),
                  };
                });
                expect(statements).not.toEqual(c.actor.statements);
                const { estate, actor } = build(c, statements);
                const { steps } = await stepsOf(estate, actor);
                expect(steps.map((s) => s.technique)).not.toContain(c.technique);
              });
              break;
            case 'deny':
              it(`is not found when another policy denies ${first}`, async () => {
                const { estate, actor } = build(c, c.actor.statements, () => ({
                  inline: [[deny(first)]],
                }));
                const { steps } = await stepsOf(estate, actor);
                expect(steps.map((s) => s.technique)).not.toContain(c.technique);
              });
              break;
            case 'boundary':
              it(`is not found when the permissions boundary leaves out ${first}`, async () => {
                const { estate, actor } = build(c, c.actor.statements, (e) => ({
                  boundary: e.policy('boundary-without-key-action', [
                    doc({ Effect: 'Allow', NotAction: first, Resource: '*' }),
                  ]),
                }));
                const { steps } = await stepsOf(estate, actor);
                expect(steps.map((s) => s.technique)).not.toContain(c.technique);
              });
              break;
            case 'scp':
              it(`is not found when an SCP denies ${first}`, async () => {
                const { estate, actor } = build(c, c.actor.statements, (e) => {
                  e.scp(doc(deny(first)));
                  return {};
                });
                const { steps } = await stepsOf(estate, actor);
                expect(steps.map((s) => s.technique)).not.toContain(c.technique);
              });
              break;
          }
        }
      });
    }
  });
}
