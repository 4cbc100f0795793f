/** Export formats of `iamsight scan` findings: OCSF events, a SARIF log and CSV. */
export { OCSF_VERSION, toOcsf, type OcsfEvent, type OcsfOptions } from './ocsf.js';
export {
  FINGERPRINT_KEY,
  SARIF_SCHEMA_URI,
  toSarif,
  type SarifLog,
  type SarifOptions,
} from './sarif.js';
export {
  CSV_COLUMNS,
  defuseFormula,
  findingsToCsv,
  quoteField,
  toCsv,
  type CsvOptions,
} from './csv.js';
