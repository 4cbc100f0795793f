/**
 * A side panel as a modal dialog: focus moves into it when it opens, Tab stays inside, Esc or the
 * close button closes it, and focus returns to where it was.
 */
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Panel(props: {
  label: string;
  kind: 'detection' | 'resource';
  onClose: () => void;
  header: ReactNode;
  children: ReactNode;
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const { onClose } = props;
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    ref.current?.focus();
    return () => {
      // Back to the row that opened it, if it is still on the page.
      if (opener && document.contains(opener)) opener.focus();
    };
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const focusable = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => el.offsetParent !== null || el === document.activeElement,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (
      event.shiftKey &&
      (document.activeElement === first || document.activeElement === ref.current)
    ) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };
  return (
    <>
      <div className="panel-backdrop" onClick={onClose} aria-hidden="true" />
      <div
        ref={ref}
        className={`panel panel-${props.kind}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.label}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid={`${props.kind}-panel`}
      >
        <div className="panel-header">
          <div className="panel-header-main">{props.header}</div>
          <button
            type="button"
            className="btn btn-icon"
            onClick={onClose}
            aria-label="Close panel (Esc)"
          >
            ×
          </button>
        </div>
        <div className="panel-body">{props.children}</div>
      </div>
    </>
  );
}
