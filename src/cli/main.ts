import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { isInputError } from '../model/index.js';
import { isStoreError } from '../store/index.js';
import { usageCommand } from './commands/cloudtrail-usage.js';
import { insightsCommand, suggestPolicyCommand } from './commands/insights.js';
import { canCommand, evalCommand, whoCanCommand } from './commands/policy.js';
import { pathsCommand, whoCanEscalateCommand } from './commands/paths.js';
import { findingsCommand, historyCommand, scansCommand } from './commands/findings.js';
import { muteCommand, mutesCommand, unmuteCommand } from './commands/mutes.js';
import { collectCommand } from './commands/collect.js';
import { scanCommand } from './commands/scan.js';
import { demoCommand, serveCommand } from './commands/serve.js';
import { runGenerate } from './generate-main.js';
import { FindingsAtOrAbove, PartialCollection, UsageError } from './usage.js';

/** Exit codes of DESIGN.md §3.2. */
export const EXIT = { ok: 0, findings: 1, badInput: 2, partial: 3, internal: 70 } as const;

const version = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

/** Builds the `iamsight` command with every subcommand. */
export function buildProgram(): Command {
  const program = new Command('iamsight')
    .description(
      'iamsight: identity risk analysis (CIEM) for AWS. See `iamsight <command> --help`.',
    )
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(scanCommand());
  program.addCommand(collectCommand());
  program.addCommand(canCommand());
  program.addCommand(whoCanCommand());
  program.addCommand(evalCommand());
  program.addCommand(pathsCommand());
  program.addCommand(whoCanEscalateCommand());
  program.addCommand(usageCommand());
  program.addCommand(insightsCommand());
  program.addCommand(suggestPolicyCommand());
  program.addCommand(findingsCommand());
  program.addCommand(historyCommand());
  program.addCommand(scansCommand());
  program.addCommand(muteCommand());
  program.addCommand(unmuteCommand());
  program.addCommand(mutesCommand());
  program.addCommand(serveCommand());
  program.addCommand(demoCommand());
  program
    .command('generate')
    .description(
      'Write a realistic, deterministic sample organization as a snapshot folder (see generate --help)',
    )
    .helpOption(false)
    .allowUnknownOption();
  for (const command of program.commands)
    command.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code; never throws. */
export async function runCli(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'generate') {
    // The generator parses its own flags (node:util parseArgs) and reports its own exit code.
    return runGenerate(argv.slice(1), {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  }
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed help, the version or the usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (error instanceof FindingsAtOrAbove) {
      process.stderr.write(`iamsight: ${error.message}\n`);
      return EXIT.findings;
    }
    if (error instanceof PartialCollection) {
      // The gaps were listed on stderr already.
      return EXIT.partial;
    }
    if (isInputError(error) || error instanceof UsageError || isStoreError(error)) {
      process.stderr.write(`iamsight: error: ${error.message}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(
      `iamsight: internal error (please report it with the command you ran):\n${
        error instanceof Error ? (error.stack ?? error.message) : String(error)
      }\n`,
    );
    return EXIT.internal;
  }
}
