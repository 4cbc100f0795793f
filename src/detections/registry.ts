/**
 * The one place that lists detections. Add a detection by importing its folder's `detection` here.
 */
import { detection as iamRoleTrustAnyPrincipal } from './trust/iam-role-trust-any-principal/detection.js';
import type { Detection } from './types.js';

export const DETECTIONS: readonly Detection[] = [iamRoleTrustAnyPrincipal];

export const DETECTIONS_BY_ID: ReadonlyMap<string, Detection> = new Map(
  DETECTIONS.map((d) => [d.id, d]),
);
