/** The live score and the overview, shared by the header, the overview page and the mute action. */
import { createContext, useContext } from 'react';
import type { Overview, Score } from './api-types.ts';
import type { ApiState } from './use-api.ts';

export interface OverviewContextValue {
  readonly overview: ApiState<Overview> & { reload: () => void };
  /** The score now (after a mute, before the overview reloads). */
  readonly score: Score | null;
  /** A mute or unmute changed the score: show it and reload the overview. */
  readonly scoreChanged: (score: Score) => void;
  /** Grows on every mute or unmute: lists and counts reload. */
  readonly dataVersion: number;
}

export const OverviewContext = createContext<OverviewContextValue | null>(null);

export function useOverview(): OverviewContextValue {
  const value = useContext(OverviewContext);
  if (!value) throw new Error('useOverview outside <App>');
  return value;
}
