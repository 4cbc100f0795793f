/** The facet sidebar: each facet's values with their counts (the other filters applied). */
import type { ReactNode } from 'react';
import type { FacetName, Facets, FacetValue } from '../api-types.ts';
import { formatCount, formatResourceType, SEVERITIES } from '../format.ts';
import type { ApiState } from '../use-api.ts';
import type { ExplorerState } from '../url-state.ts';
import { SeverityDot, Skeleton } from './ui.tsx';

const FACETS: readonly { name: FacetName; title: string }[] = [
  { name: 'status', title: 'Status' },
  { name: 'severity', title: 'Severity' },
  { name: 'account', title: 'Account' },
  { name: 'resourceType', title: 'Resource type' },
  { name: 'rule', title: 'Risk' },
];

function labelOf(facet: FacetName, value: string, label: string | null | undefined): string {
  if (facet === 'resourceType') return formatResourceType(value);
  if (facet === 'rule') return label ?? value;
  return value;
}

export function FacetSidebar(props: {
  facets: ApiState<Facets>;
  state: ExplorerState;
  onToggle: (facet: FacetName, value: string) => void;
  onClear: () => void;
}): ReactNode {
  const { facets, state } = props;
  const anyFilter = FACETS.some((f) => state[f.name].length > 0) || state.q !== '';
  return (
    <aside className="facets" aria-label="Filters">
      <div className="facets-header">
        <h2>Filters</h2>
        {anyFilter ? (
          <button type="button" className="btn-link small" onClick={props.onClear}>
            Clear all
          </button>
        ) : null}
      </div>
      {facets.data === null ? (
        <Skeleton rows={12} height={18} />
      ) : (
        FACETS.map(({ name, title }) => {
          const selected = state[name];
          let values: FacetValue[] = [...(facets.data?.facets[name] ?? [])];
          if (name === 'severity')
            values.sort(
              (a, b) => SEVERITIES.indexOf(a.value as never) - SEVERITIES.indexOf(b.value as never),
            );
          // A selected value the data no longer has stays visible, so it can be cleared.
          for (const value of selected)
            if (!values.some((v) => v.value === value)) values.push({ value, count: 0 });
          if (values.length === 0) values = [];
          return (
            <fieldset key={name} className="facet">
              <legend>{title}</legend>
              {values.length === 0 ? <p className="muted small">No values</p> : null}
              <ul>
                {values.map((v) => {
                  const label = labelOf(name, v.value, v.label);
                  const checked = selected.includes(v.value);
                  return (
                    <li key={v.value}>
                      <label
                        className={checked ? 'facet-value checked' : 'facet-value'}
                        title={name === 'rule' ? `${v.value}: ${label}` : label}
                      >
                        <input
                          type="checkbox"
                          checked={checked}
                          onChange={() => props.onToggle(name, v.value)}
                          data-facet={name}
                          data-value={v.value}
                        />
                        {name === 'severity' ? <SeverityDot severity={v.value} /> : null}
                        <span className="facet-label">{label}</span>
                        <span className="facet-count">{formatCount(v.count)}</span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          );
        })
      )}
    </aside>
  );
}
