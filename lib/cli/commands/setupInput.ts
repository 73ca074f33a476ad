/**
 * The options `plan` and `setup` share, turned into the setup request with the HTTP API's own
 * validation (`parseSetupRequest`), so the CLI and `POST /api/backups/{database}/setup` accept and
 * refuse exactly the same things. Problems name the command-line option, not the JSON field.
 */
import type { Config } from '../../config';
import { ValidationError } from '../../errors';
import { RequestValidationError, parseSetupRequest } from '../../http/setupRequest';
import type { SetupInput } from '../../orchestrations/setupDatabase';
import { UsageError } from '../io';
import { clusterOption, nameOption, pairsOption } from '../options';

/** Options of `plan` and `setup` as commander hands them over. */
export interface SetupOptions {
  readonly cluster?: string;
  readonly database?: string;
  readonly container?: readonly string[];
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly partitionColumn?: readonly string[];
  readonly exportInterval?: string;
  readonly exportIdentity?: string;
}

const FIELD_OPTIONS: readonly (readonly [RegExp, string])[] = [
  [/^database/, '--database'],
  [/^clusterUri/, '--cluster'],
  [/^include/, '--include'],
  [/^exclude/, '--exclude'],
  [/^partitionColumns/, '--partition-column'],
  [/^export\.interval/, '--export-interval'],
  [/^export\.managedIdentity/, '--export-identity'],
  [/^(containers|ADX_BACKUP_CONTAINERS)/, '--container'],
];

/** The command-line option behind a request field. */
export function optionOfField(field: string): string {
  return FIELD_OPTIONS.find(([re]) => re.test(field))?.[1] ?? field;
}

const strip = (field: string, message: string): string =>
  message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;

/**
 * Validates the options (nothing is sent) and applies the configuration's defaults.
 * @throws UsageError naming the first bad option.
 */
export function setupInputFromOptions(opts: SetupOptions, config: Config): SetupInput {
  const clusterUri = clusterOption(opts.cluster, config);
  const database = nameOption(opts.database, '--database');
  const body = {
    clusterUri,
    include: [...(opts.include ?? [])],
    exclude: [...(opts.exclude ?? [])],
    partitionColumns: pairsOption(opts.partitionColumn, '--partition-column'),
    export: {
      ...(opts.exportInterval !== undefined ? { interval: opts.exportInterval } : {}),
      ...(opts.exportIdentity !== undefined ? { managedIdentity: opts.exportIdentity } : {}),
    },
    ...(opts.container && opts.container.length > 0 ? { containers: [...opts.container] } : {}),
  };
  try {
    return parseSetupRequest(database, body, config);
  } catch (error) {
    if (error instanceof RequestValidationError) {
      const [first] = error.problems;
      const field = first?.field ?? error.field;
      throw new UsageError(optionOfField(field), first?.message ?? error.message);
    }
    if (error instanceof ValidationError) {
      throw new UsageError(optionOfField(error.field), strip(error.field, error.message));
    }
    throw error;
  }
}
