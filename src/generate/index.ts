/**
 * The organization generator: a synthetic AWS organization in AWS's own file formats, for
 * benchmarks, the demo and tests. It depends on nothing but Node.
 */
export {
  DEFAULT_NOW,
  generateOrganization,
  resolveOptions,
  type AccountCounts,
  type AccountDocuments,
  type GenerateOptions,
  type GeneratedAccount,
  type GeneratedOrg,
  type Manifest,
  type ResolvedOptions,
} from './generate.js';
export { writeSnapshotFolder, type WriteOptions, type WriteSummary } from './write.js';
export type { AuthorizationDetails } from './authz.js';
export type { CloudTrailFile, CloudTrailTruth } from './cloudtrail.js';
export type { PlantedRisk } from './estate.js';
export type { PlannedKey, PlannedPrincipal, UsagePlan } from './usage-plan.js';
export type { OrganizationDocument } from './organization.js';
export type { ConfigItem } from './resources.js';
export { CREDENTIAL_REPORT_COLUMNS } from '../model/index.js';
export { AWS_MANAGED_POLICY_ARNS } from './managed-policies.js';
export { KITS } from './kits.js';
