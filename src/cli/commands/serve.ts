/**
 * `iamsight serve`: the web UI and its API over the store, with the resource panels from a snapshot
 * analysed in memory (the inputs given, else the latest recorded scan's inputs); `iamsight demo`:
 * a generated organization scanned over simulated weeks into a temporary store, served.
 */
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { analyzeSnapshot } from '../../findings/analyze.js';
import { trackingOf } from '../../findings/config.js';
import {
  DEMO_DEFAULTS,
  fixedAnalysis,
  LoadedAnalysis,
  loadingAnalysis,
  ServerConfigError,
  startDemo,
  startServer,
  checkBinding,
  type AnalysisProvider,
} from '../../server/index.js';
import type { ScanSummary, Store } from '../../store/index.js';
import { loadConfig } from '../config-file.js';
import { hasInputs, readInputs, withInputOptions, type InputOptions } from '../inputs.js';
import { openCliStore, STORE_HELP } from '../store-options.js';
import { sanitizeForTerminal } from '../table.js';
import { usageOf, withUsageOption, type UsageOptions } from '../usage-input.js';
import { UsageError, parseAsOf, parseCount } from '../usage.js';
import { loadSample } from './scan.js';

interface ServeOptions extends InputOptions, UsageOptions {
  store?: string;
  host: string;
  port: string;
  config?: string;
  asOf?: string;
}

function portOf(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(
      `--port: expected a port number from 0 to 65535, got ${JSON.stringify(value)}`,
    );
  return port;
}

/** The server token from the environment (empty counts as unset). */
function tokenFromEnv(): string | null {
  const token = process.env.IAMSIGHT_TOKEN;
  return token && token.length > 0 ? token : null;
}

/** Checks the binding before any work; a refusal is a usage error (exit 2). */
function checkBindingOrThrow(host: string, token: string | null): void {
  try {
    checkBinding(host, token);
  } catch (error) {
    if (error instanceof ServerConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** The URL to open: with the token in the fragment, which browsers never send to a server. */
function urlWithToken(url: string, token: string | null): string {
  return token ? `${url}#token=${encodeURIComponent(token)}` : url;
}

/** Resolves on Ctrl-C or SIGTERM. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

/** The input options a recorded scan names (`--snapshot DIR`, …), if every path still exists. */
export function inputsOfScan(
  scan: ScanSummary,
): (InputOptions & UsageOptions & { sample: boolean }) | null {
  const options = {
    authz: [] as string[],
    credentialReport: [] as string[],
    resources: [] as string[],
    org: [] as string[],
    snapshot: [] as string[],
    cloudtrail: [] as string[],
    sample: false,
  } as InputOptions & UsageOptions & { sample: boolean };
  const lists: Record<string, string[]> = {
    '--authz': options.authz,
    '--credential-report': options.credentialReport,
    '--resources': options.resources,
    '--org': options.org,
    '--snapshot': options.snapshot,
    '--cloudtrail': options.cloudtrail,
  };
  for (const input of scan.inputs) {
    if (input === '--sample') {
      options.sample = true;
      continue;
    }
    const space = input.indexOf(' ');
    if (space < 0) return null;
    const flag = input.slice(0, space);
    const path = input.slice(space + 1);
    if (!existsSync(path)) return null;
    if (flag === '--usage') options.usage = path;
    else if (lists[flag]) lists[flag].push(path);
    else return null;
  }
  return options.sample || hasInputs(options) ? options : null;
}

async function analysisFor(
  options: ServeOptions,
  store: Store,
  log: (line: string) => void,
): Promise<AnalysisProvider> {
  const config = await loadConfig(options.config);
  let inputs: (InputOptions & UsageOptions & { sample?: boolean }) | null = hasInputs(options)
    ? options
    : null;
  let asOf = options.asOf !== undefined ? parseAsOf(options.asOf) : null;
  let source = 'the inputs given';
  if (!inputs) {
    const latest = (await store.listScans({ limit: 1 })).items[0];
    if (!latest)
      return fixedAnalysis({
        state: 'none',
        detail: `the store has no scan and no inputs were given: record one (iamsight scan --snapshot DIR --store ${store.location}) or start with --snapshot DIR`,
      });
    inputs = inputsOfScan(latest);
    if (!inputs)
      return fixedAnalysis({
        state: 'none',
        detail: `the inputs of the latest scan (#${latest.id}: ${latest.inputs.join(' ')}) are no longer readable: start iamsight serve with them (e.g. --snapshot DIR) to see resource panels`,
      });
    asOf ??= latest.asOf;
    source = `the inputs of scan #${latest.id}`;
  }
  const at = asOf ?? parseAsOf(undefined);
  const chosen = inputs;
  const provider = loadingAnalysis(
    async () => {
      const { snapshot, usage: fromLogs } = chosen.sample
        ? { snapshot: await loadSample(), usage: null }
        : await readInputs(chosen, 'serve');
      const usage = await usageOf(chosen, fromLogs);
      const analysis = analyzeSnapshot(snapshot, { asOf: at, config, usage });
      return new LoadedAnalysis(snapshot, analysis, trackingOf(config), source);
    },
    `reading and analysing ${source}`,
    (error) =>
      log(
        `iamsight serve: the analysis failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
  );
  void provider.settled.then(() => {
    const state = provider.current();
    log(`iamsight serve: analysis ${state.state}: ${sanitizeForTerminal(state.detail, 400)}`);
  });
  return provider;
}

/** `iamsight serve`. */
export function serveCommand(): Command {
  return withUsageOption(
    withInputOptions(
      new Command('serve').description(
        'Serve the web UI and its JSON API (/api/docs) over the store; resource panels from a snapshot analysed in memory',
      ),
    ),
  )
    .option('--store <dir|url>', STORE_HELP)
    .option(
      '--host <host>',
      'address to listen on; anything but loopback needs IAMSIGHT_TOKEN',
      '127.0.0.1',
    )
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option('--config <file>', 'trusted accounts and usage settings (as for scan)')
    .option('--as-of <date>', "evaluation time of the inputs (default: the latest scan's, or now)")
    .addHelpText(
      'after',
      `
Without inputs, serve re-reads the inputs the latest recorded scan named, when they still exist.

Examples:
  iamsight serve                                   # the default store, http://127.0.0.1:8080/
  iamsight serve --snapshot ./snapshot --port 9000
  IAMSIGHT_TOKEN=$(openssl rand -hex 24) iamsight serve --host 0.0.0.0 --store postgres://db/iamsight

Security: the server binds 127.0.0.1 unless --host says otherwise; any other host requires
IAMSIGHT_TOKEN (at least 24 characters), which every API request must send as
\`Authorization: Bearer <token>\`. The printed URL carries it after #token= for the browser.`,
    )
    .action(async (options: ServeOptions) => {
      const token = tokenFromEnv();
      checkBindingOrThrow(options.host, token);
      const port = portOf(options.port);
      const log = (line: string) => void process.stderr.write(line + '\n');
      const store = await openCliStore(options.store, { mustExist: !hasInputs(options) });
      try {
        const analysis = await analysisFor(options, store, log);
        const { app, url } = await startServer({
          store,
          analysis,
          host: options.host,
          port,
          token,
          log,
        });
        process.stdout.write(
          `iamsight serve: store ${store.location}\nOpen ${urlWithToken(url, token)}  (Ctrl-C stops)\n`,
        );
        await untilStopped();
        await app.close();
      } finally {
        await store.close();
      }
    });
}

/** `iamsight demo`. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'Generate a sample organization, scan it over simulated weeks into a temporary store, and serve the web UI',
    )
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option('--seed <n>', 'seed of the generated organization', String(DEMO_DEFAULTS.seed))
    .option(
      '--principals <n>',
      'principals to generate (at least ~300 for 4 accounts)',
      String(DEMO_DEFAULTS.principals),
    )
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1').hideHelp())
    .action(async (options: { port: string; seed: string; principals: string; host: string }) => {
      const token = tokenFromEnv();
      checkBindingOrThrow(options.host, token);
      const seed = parseCount(options.seed, '--seed');
      const principals = parseCount(options.principals, '--principals');
      const started = performance.now();
      let demo;
      try {
        demo = await startDemo({
          seed,
          principals,
          port: portOf(options.port),
          host: options.host,
          onProgress: (line) => process.stderr.write(`iamsight demo: ${line}\n`),
        });
      } catch (error) {
        if (error instanceof RangeError) throw new UsageError(error.message);
        throw error;
      }
      const last = demo.scans.at(-1);
      process.stdout.write(
        `iamsight demo: ${demo.scans.length} scans recorded in ${((performance.now() - started) / 1000).toFixed(1)} s` +
          (last ? `; health score ${last.score.value}` : '') +
          ` (temporary store, removed at exit)\nOpen ${urlWithToken(demo.url, token)}  (Ctrl-C stops)\n`,
      );
      await untilStopped();
      await demo.close();
    });
}
