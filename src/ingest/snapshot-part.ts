import type {
  AccessKey,
  Account,
  Gap,
  IdentityProvider,
  MfaDevice,
  InstanceProfile,
  ManagedPolicy,
  Notice,
  Organization,
  Principal,
  Resource,
  ServiceAccessReport,
} from '../model/index.js';

/** One row of an IAM credential report, camelCase, with `N/A`/`no_information` turned into null. */
export interface CredentialReportRow {
  /** 1-based line number in the CSV (the header is line 1). */
  readonly line: number;
  readonly user: string;
  readonly arn: string;
  readonly accountId: string;
  readonly isRoot: boolean;
  readonly userCreationTime: string | null;
  readonly passwordEnabled: boolean | null;
  readonly passwordLastUsed: string | null;
  readonly passwordLastChanged: string | null;
  readonly passwordNextRotation: string | null;
  readonly mfaActive: boolean;
  readonly accessKeys: readonly {
    readonly slot: 1 | 2;
    readonly active: boolean;
    readonly lastRotated: string | null;
    readonly lastUsedDate: string | null;
    readonly lastUsedRegion: string | null;
    readonly lastUsedService: string | null;
  }[];
  readonly certs: readonly {
    readonly slot: 1 | 2;
    readonly active: boolean;
    readonly lastRotated: string | null;
  }[];
}

export interface CredentialReport {
  readonly file: string;
  readonly accountId: string;
  readonly rows: readonly CredentialReportRow[];
}

/** One user's credentials from the listing APIs; a kind that was not collected is absent. */
export interface ListedUserCredentials {
  readonly accessKeys?: readonly AccessKey[];
  readonly mfaDevices?: readonly MfaDevice[];
}

/** An account's access keys and MFA devices from the listing APIs (iam-credentials.json). */
export interface IamCredentialsInput {
  readonly file: string;
  readonly accountId: string;
  readonly users: ReadonlyMap<string, ListedUserCredentials>;
  /** The account's assigned virtual MFA devices; null when they were not listed. */
  readonly virtualMfaDevices:
    | readonly {
        readonly serialNumber: string;
        readonly enableDate: string | null;
        /** The user's or the root's ARN (`arn:aws:iam::<id>:root`). */
        readonly userArn: string | null;
      }[]
    | null;
}

/**
 * What one input file contributes. Importers return parts; {@link buildSnapshot} merges them into
 * one Snapshot (later parts enrich earlier ones, e.g. a credential report adds keys to users).
 */
export interface SnapshotPart {
  readonly accounts?: readonly Account[];
  readonly principals?: readonly Principal[];
  readonly policies?: readonly ManagedPolicy[];
  readonly instanceProfiles?: readonly InstanceProfile[];
  readonly identityProviders?: readonly IdentityProvider[];
  readonly resources?: readonly Resource[];
  readonly organization?: Organization;
  readonly credentialReports?: readonly CredentialReport[];
  /** Service last accessed reports (Access Advisor) by principal ARN, applied to the principals. */
  readonly serviceLastAccessed?: readonly {
    readonly file: string;
    readonly reports: ReadonlyMap<string, ServiceAccessReport>;
  }[];
  /** Access keys and MFA devices from the listing APIs, applied after the credential reports. */
  readonly iamCredentials?: readonly IamCredentialsInput[];
  readonly gaps?: readonly Gap[];
  readonly notices?: readonly Notice[];
}
