/** Small building blocks: links, badges, truncation, copy, tabs, and the loading/empty/error states. */
import {
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from 'react';
import type { ApiError } from '../api.ts';
import type { Severity } from '../api-types.ts';
import { navigate } from '../url-state.ts';

/** An in-app link: a real <a href> (open in new tab works) that navigates without reloading. */
export function Link(props: {
  href: string;
  children: ReactNode;
  className?: string;
  title?: string;
  replace?: boolean;
  'aria-label'?: string;
  'aria-current'?: 'page' | undefined;
}): ReactNode {
  const { href, replace, ...rest } = props;
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(href, { replace: replace ?? false });
  };
  return <a {...rest} href={href} onClick={onClick} />;
}

export function SeverityBadge({ severity }: { severity: Severity | string }): ReactNode {
  return <span className={`sev sev-${severity}`}>{severity}</span>;
}

export function SeverityDot({ severity }: { severity: Severity | string }): ReactNode {
  return <span className={`sev-dot sev-${severity}`} aria-hidden="true" />;
}

export function StatusBadge({ status }: { status: string }): ReactNode {
  return <span className={`status status-${status}`}>{status}</span>;
}

/** Text cut with an ellipsis when too long; the whole text in the tooltip. */
export function Truncate({ text, className }: { text: string; className?: string }): ReactNode {
  return (
    <span className={`truncate ${className ?? ''}`} title={text}>
      {text}
    </span>
  );
}

/** A button copying `text` to the clipboard, saying so. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }): ReactNode {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = (): void => {
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" className="btn btn-small" onClick={copy}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}

/** Grey placeholder bars of a fixed height (no layout jump when the data arrives). */
export function Skeleton({ rows = 3, height = 20 }: { rows?: number; height?: number }): ReactNode {
  return (
    <div className="skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-bar" style={{ height }} />
      ))}
    </div>
  );
}

export function EmptyState({
  title,
  children,
}: {
  title: string;
  children?: ReactNode;
}): ReactNode {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: ApiError; retry?: () => void }): ReactNode {
  return (
    <div className="error-state" role="alert">
      <p className="error-title">
        {error.status === 0 ? 'Cannot reach the server' : `The server answered ${error.status}`}
        {error.code && error.status !== 0 ? ` (${error.code})` : ''}
      </p>
      <p>{error.message}</p>
      {retry ? (
        <button type="button" className="btn" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Tabs with arrow-key navigation (WAI-ARIA tabs pattern). */
export function Tabs<T extends string>(props: {
  tabs: readonly { id: T; label: string }[];
  active: T;
  onChange: (id: T) => void;
  label: string;
}): ReactNode {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (event: KeyboardEvent, index: number): void => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = (index + delta + props.tabs.length) % props.tabs.length;
    const tab = props.tabs[next];
    if (!tab) return;
    props.onChange(tab.id);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {props.tabs.map((tab, index) => (
        <button
          key={tab.id}
          ref={(el) => {
            refs.current[index] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === props.active}
          aria-controls={`tabpanel-${tab.id}`}
          tabIndex={tab.id === props.active ? 0 : -1}
          className={tab.id === props.active ? 'tab active' : 'tab'}
          onClick={() => props.onChange(tab.id)}
          onKeyDown={(event) => onKey(event, index)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

/** A definition list of label/value pairs. */
export function Facts({ items }: { items: readonly [string, ReactNode][] }): ReactNode {
  return (
    <dl className="facts">
      {items.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
