/**
 * The whole life cycle on a fresh machine: Azurite and the ADX emulator in this process, then every
 * product step through the `adx-backup` CLI (`runCli`, the code `npx adx-backup` runs), against the
 * emulator's real Kusto endpoint and Azurite's real storage endpoints. The demo itself only plays
 * the world around the product: it ingests rows, moves the emulator's clock so continuous exports
 * run, breaks an export, drops the database, and checks the restored rows against the source.
 */
import type { EmulatorHandle } from '../../test/emulator/index';
import { startEmulator } from '../../test/emulator/index';
import { canonical, sourceRows } from '../../test/helpers/backupReadBack';
import { runCli } from '../../lib/cli/main';
import { dropExternalTable } from '../../lib/kusto/commands';
import { SdkKustoGateway } from '../../lib/kusto/sdkGateway';
import { backupExternalTableName } from '../../lib/names';
import type { VerificationReport } from '../../lib/verify/run';
import { restoreText } from '../../lib/cli/commands/restore';
import type { TableStatus } from '../../lib/cli/commands/status';
import { PASSING, verificationText } from '../../lib/cli/commands/verify';
import type { RestoreStatusView } from '../../lib/restore/report';
import { keepReports, keepText, reportFolder } from './reports';
import { DEMO_TABLES, ingestMore, seedSource } from './seed';
import type { SummaryRow } from './summary';
import { renderSummary } from './summary';

const MINUTE = 60_000;
const SOURCE = 'demo';
const TARGET = 'demo_restored';
const BROKEN = 'Metrics';

/** Where the demo writes. */
export interface DemoOutput {
  readonly out: (text: string) => void;
  /** A terminal for the CLI's progress bars (none in tests and pipes). */
  readonly progressStream?: NodeJS.WriteStream;
}

/** One check the demo makes. */
export interface DemoCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What the demo found. */
export interface DemoResult {
  readonly ok: boolean;
  readonly checks: readonly DemoCheck[];
  readonly summary: readonly SummaryRow[];
  readonly reports: readonly string[];
  readonly elapsedMs: number;
}

/** Runs the demo; never throws for a failed step (it becomes a failed check). */
export async function runDemo(output: DemoOutput): Promise<DemoResult> {
  const started = Date.now();
  const checks: DemoCheck[] = [];
  const check = (name: string, ok: boolean, detail = ''): void => {
    checks.push({ name, ok, detail });
    output.out(`${ok ? '  ✔' : '  ✘'} ${name}${detail ? `: ${detail}` : ''}\n`);
  };
  let step = 0;
  const heading = (text: string): void =>
    output.out(`\n━━ ${++step}. ${text}  [${((Date.now() - started) / 1000).toFixed(1)} s]\n`);
  // The emulator's clock starts an hour behind the wall clock, so export lateness stays realistic.
  const emu: EmulatorHandle = await startEmulator({ start: new Date(Date.now() - 60 * MINUTE) });
  // A cluster of a few nodes: room for eight exports at once (every historical chunk of the demo).
  emu.state.capacity.exportTotal = 8;
  const gateway = new SdkKustoGateway({ clusterUri: emu.url });
  const env = {
    AzureWebJobsStorage: emu.storage.connectionString,
    ADX_BACKUP_CLUSTER_URI: emu.url,
    ADX_BACKUP_DATABASES: SOURCE,
    ADX_BACKUP_CONTAINERS: `${emu.storage.blobUrl}/adx-backup`,
    ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
    ADX_BACKUP_CHUNK_TARGET_ROWS: '30000',
  };
  /** Runs `adx-backup <args>` in this process; with `json` the output is parsed instead of shown. */
  const cli = async (args: string[], json = false): Promise<{ code: number; value?: unknown }> => {
    output.out(`$ adx-backup ${args.join(' ')}${json ? ' --json' : ''}\n`);
    let stdout = '';
    const code = await runCli(json ? [...args, '--json'] : args, {
      out: (s) => (json ? void (stdout += s) : output.out(s)),
      err: (s) => output.out(s),
      env,
      ...(output.progressStream ? { progressStream: output.progressStream } : {}),
    });
    return { code, ...(json && stdout.trim() !== '' ? { value: JSON.parse(stdout) as unknown } : {}) };
  };
  const target = ['-c', emu.url, '-d', SOURCE];
  const summary: SummaryRow[] = [];
  const reports: string[] = [];
  try {
    heading(`Source: database '${SOURCE}' on the emulator (${emu.url}), storage on Azurite`);
    await seedSource(emu, gateway, SOURCE);
    for (const t of Object.keys(DEMO_TABLES))
      output.out(`  ${t}: ${sourceRows(emu, SOURCE, t).length} rows\n`);

    heading('Plan: every command setup would send (nothing is changed)');
    check('plan', (await cli(['plan', ...target])).code === 0);

    heading('Set up backup: external tables, continuous exports, historical export');
    check('setup', (await cli(['setup', ...target])).code === 0);

    heading('New rows arrive; the emulator clock moves 10 minutes and the continuous exports run');
    ingestMore(emu, SOURCE);
    await emu.clock.advance(10 * MINUTE);
    await emu.idle();
    check('status after new rows', (await cli(['status', ...target])).code === 0);

    heading(`A failure: someone drops the external table of ${BROKEN}; its export run fails`);
    await gateway.execute(SOURCE, dropExternalTable(backupExternalTableName(BROKEN)));
    await emu.clock.advance(10 * MINUTE);
    await emu.idle();
    check('status shows the broken export', (await cli(['status', ...target])).code !== 0);
    check('monitor repairs it', (await cli(['monitor', '--once', ...target])).code === 0);
    await emu.clock.advance(10 * MINUTE);
    await emu.idle();
    check('status after the repair', (await cli(['status', ...target])).code === 0);

    heading('A deletion through the ledger: MyTestTable where id == 2');
    const deletion = ['deletions', 'add', ...target, '-t', 'MyTestTable', '--predicate', 'id == 2'];
    check('deletion recorded and run', (await cli(deletion)).code === 0);
    await emu.clock.advance(10 * MINUTE);
    await emu.idle();

    heading('Verify: source counts against the backup, per table and day');
    const verified = await cli(['verify', ...target], true);
    const report = verified.value as VerificationReport | undefined;
    if (report) output.out(`${verificationText(report)}\n`);
    const folder = reportFolder();
    reports.push(
      ...(await keepReports(emu, folder, report?.locations.flatMap((l) => [l.html, l.json]) ?? [])),
    );
    const passing = report?.tables.every((t) => PASSING.has(t.verdict)) === true;
    check('verification', verified.code === 0 && passing);
    const status = await cli(['status', ...target], true);
    const backedUp = new Map(
      ((status.value as { tables?: TableStatus[] } | undefined)?.tables ?? []).map((t) => [
        t.table,
        t.committedRows,
      ]),
    );
    const before = new Map(Object.keys(DEMO_TABLES).map((t) => [t, canonical(sourceRows(emu, SOURCE, t))]));

    heading(`The disaster: database '${SOURCE}' is dropped`);
    emu.state.databases.delete(SOURCE);
    emu.createDatabase(TARGET);
    output.out(`  '${SOURCE}' is gone; an empty database '${TARGET}' is created to restore into\n`);

    heading(`Restore every table into '${TARGET}' (deletion ledger applied)`);
    const restored = await cli(['restore', ...target, '--target-database', TARGET], true);
    const view = restored.value as RestoreStatusView | undefined;
    if (view) {
      output.out(`${restoreText(view)}\n`);
      reports.push(`restore ${view.restoreId}: GET /api/restores/${view.restoreId} in a deployment; here:`);
      reports.push(keepText(folder, `restore-${view.restoreId}.json`, JSON.stringify(view, null, 2)));
    }
    check('restore', restored.code === 0 && view?.status === 'completed');

    heading('Verify the restore: every table equals the source as it was before the disaster');
    for (const [table, rows] of before) {
      const after = emu.state.database(TARGET)?.tables.has(table)
        ? canonical(sourceRows(emu, TARGET, table))
        : [];
      const same = after.length === rows.length && after.every((r, i) => r === rows[i]);
      const v = report?.tables.find((t) => t.table === table);
      summary.push({
        table,
        sourceRows: rows.length,
        backupRows: backedUp.get(table) ?? null,
        verifiedRows: v?.backupRows ?? null,
        restoredRows: after.length,
        verdict: v?.verdict ?? 'not-verified',
        restoredMatches: same,
      });
      check(`${table} restored exactly`, same, `${after.length} of ${rows.length} rows`);
    }
    const restoredSeed = emu.state.database(TARGET)?.tables.has('MyTestTable')
      ? sourceRows(emu, TARGET, 'MyTestTable')
      : [];
    const gone = restoredSeed.length > 0 && !restoredSeed.some((r) => r[0] === 2);
    check(
      'the deleted row (id == 2) stays deleted',
      gone,
      `MyTestTable ids ${restoredSeed
        .map((r) => JSON.stringify(r[0]))
        .sort()
        .join(', ')}`,
    );
  } catch (error) {
    check('demo step', false, error instanceof Error ? error.message : String(error));
  } finally {
    gateway.close();
    await emu.stop();
  }
  const elapsedMs = Date.now() - started;
  const ok = checks.length > 0 && checks.every((c) => c.ok);
  output.out(`\n${renderSummary(summary, elapsedMs, reports, ok)}\n`);
  return { ok, checks, summary, reports, elapsedMs };
}
