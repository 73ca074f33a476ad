/**
 * The `adx-backup` command line, declared with commander: subcommands, their options and help.
 * Actions only hand the parsed options to a handler; validation and work live in `commands/`.
 * Handlers are injected so tests can check that every option the help lists reaches its handler.
 */
import { Command, Option } from 'commander';
import { version } from '../version';

/** Parsed options of a subcommand, as commander produces them (plus `json`). */
export type ParsedOptions = Record<string, unknown> & { readonly json?: boolean };

/** The handler of each subcommand; resolves with the exit code. */
export interface CliHandlers {
  readonly plan: (opts: ParsedOptions) => Promise<number>;
  readonly setup: (opts: ParsedOptions) => Promise<number>;
  readonly status: (opts: ParsedOptions) => Promise<number>;
  readonly monitor: (opts: ParsedOptions) => Promise<number>;
  readonly verify: (opts: ParsedOptions) => Promise<number>;
  readonly restore: (opts: ParsedOptions) => Promise<number>;
  readonly deletionsList: (opts: ParsedOptions) => Promise<number>;
  readonly deletionsAdd: (opts: ParsedOptions) => Promise<number>;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const cluster = (what = 'the cluster'): Option =>
  new Option(
    '-c, --cluster <uri>',
    `${what} (https; http only for a loopback emulator) [env: ADX_BACKUP_CLUSTER_URI]`,
  );
const database = (): Option => new Option('-d, --database <name>', 'the database');
const json = (): Option => new Option('--json', 'print one JSON document on stdout (no progress bars)');

function setupOptions(cmd: Command): Command {
  return cmd
    .addOption(cluster())
    .addOption(database())
    .option('--container <url>', 'backup container URL, repeatable [env: ADX_BACKUP_CONTAINERS]', collect)
    .option('--include <pattern>', 'tables to back up (* and ? wildcards), repeatable; default all', collect)
    .option('--exclude <pattern>', 'tables to leave out, repeatable', collect)
    .option(
      '--partition-column <table=column>',
      'datetime column partitioning a table by day, repeatable',
      collect,
    )
    .option(
      '--export-interval <duration>',
      'continuous export interval, e.g. 5m [env: ADX_BACKUP_EXPORT_INTERVAL]',
    )
    .option(
      '--export-identity <identity>',
      "managed identity of the continuous exports: 'system' or an object id [env: ADX_BACKUP_EXPORT_MANAGED_IDENTITY]",
    )
    .addOption(json());
}

/**
 * Builds the program. `onExit` receives each action's exit code; commander's own errors (unknown
 * option, missing value) throw a CommanderError after `writeErr` got their one-line message.
 */
export function buildProgram(
  handlers: CliHandlers,
  output: { readonly writeOut: (text: string) => void; readonly writeErr: (text: string) => void },
  onExit: (code: number) => void,
): Command {
  const program = new Command('adx-backup')
    .description('Backup and restore for Azure Data Explorer: the control plane run from the command line.')
    .version(version, '-V, --version')
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.writeOut(s),
      writeErr: (s) => output.writeErr(s),
      outputError: (s, write) => write(`${s.trim().split('\n').join(' ')}\n`),
    });
  const act = (handler: (opts: ParsedOptions) => Promise<number>) => async (opts: ParsedOptions) =>
    onExit(await handler(opts));
  const sub = (name: string, description: string): Command =>
    program.command(name).description(description).showSuggestionAfterError(false);

  setupOptions(
    sub('plan', 'print every command a backup setup would send, one per line; changes nothing'),
  ).action(act(handlers.plan));
  setupOptions(
    sub('setup', 'set up backup of a database: external tables, continuous exports, historical export'),
  ).action(act(handlers.setup));
  sub('status', "show each backed-up table's setup state, continuous export and backed-up files")
    .addOption(cluster())
    .option('-d, --database <name>', 'database, repeatable [env: ADX_BACKUP_DATABASES]', collect)
    .addOption(json())
    .action(act(handlers.status));
  sub('monitor', 'run one monitor tick: diagnose and repair the continuous exports')
    .option('--once', 'run a single tick and exit (required; the deployed timer runs it on a schedule)')
    .addOption(cluster())
    .option('-d, --database <name>', 'database, repeatable [env: ADX_BACKUP_DATABASES]', collect)
    .addOption(json())
    .action(act(handlers.monitor));
  sub('verify', 'compare source row counts with the backup, per table and day, and write a report')
    .addOption(cluster())
    .addOption(database())
    .option('-t, --table <name>', 'table to verify, repeatable; default all backed-up tables', collect)
    .addOption(json())
    .action(act(handlers.verify));
  sub('restore', 'restore backed-up tables into a target database (deletion ledger applied)')
    .addOption(cluster('the source cluster'))
    .option('-d, --database <name>', 'the backed-up (source) database')
    .option('-t, --table <name>', 'table to restore, repeatable; default all backed-up tables', collect)
    .option('--container <url>', 'backup container to read, repeatable [env: ADX_BACKUP_CONTAINERS]', collect)
    .option('--target-cluster <uri>', 'cluster to restore into; default the source cluster')
    .option('--target-database <name>', 'existing database to restore into')
    .option('--rename <table=newName>', 'restore a table under another name, repeatable', collect)
    .option('--point-in-time <time>', 'restore the data as it was at this time (ISO 8601 with a zone)')
    .option('--from-day <yyyy-mm-dd>', 'restore only partitions from this day')
    .option('--to-day <yyyy-mm-dd>', 'restore only partitions up to this day')
    .option('--append', 'append to existing target tables instead of creating new ones')
    .option('--allow-exported-target', 'allow a target table that is itself continuously exported')
    .option('--restore-id <id>', 'name the restore (the same id re-runs a failed restore)')
    .option('--dry-run', 'plan the restore without changing anything')
    .addOption(json())
    .action(act(handlers.restore));
  const deletions = sub('deletions', 'the deletion ledger: deletes and purges carried into every restore');
  deletions
    .command('list')
    .description('list recorded deletions and verify each table ledger hash chain')
    .addOption(database())
    .option('-t, --table <name>', 'only this table')
    .addOption(json())
    .action(act(handlers.deletionsList));
  deletions
    .command('add')
    .description('record a delete or purge, run it on the source, and apply it on every later restore')
    .addOption(cluster())
    .addOption(database())
    .option('-t, --table <name>', 'the table')
    .option('--predicate <kql>', 'a simple where predicate over the table\'s columns, e.g. "id == 2"')
    .addOption(
      new Option('--kind <kind>', 'delete (soft delete) or purge')
        .choices(['delete', 'purge'])
        .default('delete'),
    )
    .option('--record-only', 'record without running (the rows were removed some other way)')
    .option('--requested-by <name>', 'who asked, for the audit trail; default cli:<user>')
    .addOption(json())
    .action(act(handlers.deletionsAdd));
  return program;
}
