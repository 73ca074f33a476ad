/**
 * Dependencies of the monitor, the verification and the restore as the CLI builds them: the same stores and
 * adapters the function app wires (`lib/wiring/*`), over the CLI's gateways, credential and catalog
 * account, with a logger that writes warnings and errors to stderr.
 */
import { metrics } from '@opentelemetry/api';
import type { Logger } from '../kusto/gateway';
import { createMonitorMetrics } from '../monitor/metrics';
import { createRestoreBlobs } from '../restore/blobs';
import { createIngestSender } from '../restore/ingestSender';
import { RestoreState } from '../restore/state';
import { RESTORES_TABLE, RestoreStore } from '../storage/restores';
import { createArtifactBlobStore } from '../storage/artifactBlobs';
import { MonitorStatusStore, STATUS_TABLE } from '../storage/monitorStatus';
import { createVerifyReportStore } from '../storage/verifyReports';
import { TableWatermarkStore, WATERMARK_TABLE } from '../storage/watermarks';
import { createVerificationAlerts } from '../verify/alerts';
import type { VerifyDeps } from '../verify/run';
import { version } from '../version';
import { storageAuthOf } from '../wiring/deletionDeps';
import type { MonitorAppDeps } from '../wiring/monitorDeps';
import type { RestoreFunctionDeps } from '../wiring/restoreDeps';
import { newRestoreId } from '../wiring/restoreDeps';
import type { CliDeps } from './deps';
import type { CliIo } from './io';

/** Warnings and errors on stderr, one line each with their fields; info is left out. */
export function stderrLogger(io: CliIo): Logger {
  const line = (level: string, message: string, fields?: Readonly<Record<string, unknown>>): void =>
    io.err(`${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  return {
    info: () => undefined,
    warn: (message, fields) => line('warning', message, fields),
    error: (message, fields) => line('error', message, fields),
  };
}

/** How storage is reached: the identity, or a loopback emulator's connection string. */
function access(deps: CliDeps): {
  credential: ReturnType<CliDeps['credential']>;
  emulatorConnectionString?: string;
} {
  return {
    credential: deps.credential(),
    ...(deps.hostConnectionString === undefined
      ? {}
      : { emulatorConnectionString: deps.hostConnectionString }),
  };
}

/** The verification's dependencies. */
export function cliVerifyDeps(deps: CliDeps, logger: Logger): VerifyDeps {
  return {
    gatewayFor: (uri) => deps.gatewayFor(uri),
    catalog: deps.catalog(),
    watermarks: new TableWatermarkStore(deps.tableClient(WATERMARK_TABLE)),
    ledger: deps.ledger(),
    blobs: createArtifactBlobStore(access(deps)),
    reports: createVerifyReportStore(access(deps)),
    containers: deps.config.containers,
    storageAuth: storageAuthOf(deps.config),
    alerts: createVerificationAlerts(logger),
    logger,
    now: () => new Date(),
  };
}

/** The restore functions' dependencies (registered with `registerRestoreFunctions`). */
export function cliRestoreDeps(deps: CliDeps): RestoreFunctionDeps {
  const gatewayFor = (uri: string): ReturnType<CliDeps['gatewayFor']> => deps.gatewayFor(uri);
  return {
    config: deps.config,
    gatewayFor,
    catalog: deps.catalog(),
    ledger: deps.ledger(),
    blobs: createRestoreBlobs(access(deps)),
    state: new RestoreState(new RestoreStore(deps.tableClient(RESTORES_TABLE))),
    ingest: createIngestSender({ gatewayFor }),
    storageAuth: storageAuthOf(deps.config),
    newId: newRestoreId,
  };
}

/** The monitor's shared dependencies (a tick adds its logger and table-setup starter). */
export function cliMonitorDeps(deps: CliDeps): MonitorAppDeps {
  return {
    config: deps.config,
    gatewayFor: (uri) => deps.gatewayFor(uri),
    catalog: deps.catalog(),
    status: new MonitorStatusStore(deps.tableClient(STATUS_TABLE)),
    metrics: createMonitorMetrics(metrics.getMeter('adx-backup', version)),
  };
}
