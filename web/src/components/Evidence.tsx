/** A finding's evidence: escalation paths as steps, deciding statements as documents, the rest as facts. */
import type { ReactNode } from 'react';
import { prettyJson, shortArn } from '../format.ts';
import { Truncate } from './ui.tsx';

interface Step {
  readonly from: string;
  readonly to: string;
  readonly technique: string;
  readonly reason: string;
  readonly conditional?: boolean;
  readonly permissions?: readonly string[];
}

function isStep(value: unknown): value is Step {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.from === 'string' &&
    typeof v.to === 'string' &&
    typeof v.technique === 'string' &&
    typeof v.reason === 'string'
  );
}

/** Steps from `from` to `to`, each with its technique and reason. */
export function PathSteps({
  steps,
  active,
  onSelect,
}: {
  steps: readonly Step[];
  active?: number | null;
  onSelect?: (index: number) => void;
}): ReactNode {
  return (
    <ol className="path-steps">
      {steps.map((step, index) => {
        const body = (
          <>
            <span className="step-index">{index + 1}</span>
            <span className="step-text">
              <span className="step-route">
                <Truncate className="mono" text={shortArn(step.from)} />
                <span aria-hidden="true"> → </span>
                <span className="sr-only"> to </span>
                <Truncate className="mono" text={shortArn(step.to)} />
                <span className="technique">{step.technique}</span>
                {step.conditional ? <span className="tag tag-warn">conditional</span> : null}
              </span>
              <span className="step-reason">{step.reason}</span>
              {step.permissions && step.permissions.length > 0 ? (
                <span className="step-perms mono small">{step.permissions.join(', ')}</span>
              ) : null}
            </span>
          </>
        );
        return (
          <li key={index} className={active === index ? 'active' : ''}>
            {onSelect ? (
              <button
                type="button"
                className="step-button"
                aria-pressed={active === index}
                onClick={() => onSelect(index)}
                title={`${step.from} → ${step.to}`}
              >
                {body}
              </button>
            ) : (
              <div className="step-button static" title={`${step.from} → ${step.to}`}>
                {body}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function label(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

function Value({ value }: { value: unknown }): ReactNode {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'string') return <span className="evidence-text">{value}</span>;
  if (typeof value === 'number' || typeof value === 'boolean') return <span>{String(value)}</span>;
  if (Array.isArray(value) && value.length > 0 && value.every(isStep))
    return <PathSteps steps={value} />;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return (
      <ul className="plain-list">
        {value.map((v, i) => (
          <li key={i} className="mono small">
            {v}
          </li>
        ))}
      </ul>
    );
  return <pre className="code small">{prettyJson(value)}</pre>;
}

/** Every evidence field, in the detection's order. */
export function Evidence({ evidence }: { evidence: Readonly<Record<string, unknown>> }): ReactNode {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <p className="muted">No evidence recorded.</p>;
  return (
    <dl className="evidence">
      {entries.map(([key, value]) => (
        <div key={key} className="evidence-item">
          <dt>{label(key)}</dt>
          <dd>
            <Value value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
