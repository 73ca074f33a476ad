/**
 * Every builder of commands.ts, checked by the official Kusto parser.
 *
 * 1. Table-driven: `CASES` has an entry per exported builder (enumerated at run time, so a new builder
 *    without a case fails the suite). Each sample output must have zero syntax diagnostics and zero
 *    diagnostics when bound against TEST_SCHEMA, i.e. every table, external table and column it
 *    names resolves.
 *
 *    Analysis caveats, verified against language-service-next 12.4.1 (see "the analyzer notices
 *    unknown names" below, which proves the check can fail):
 *    - Names a command *creates* (`.create table`, `.create-merge table`, `.rename table ... to`,
 *      `.create-or-alter external table`) are declarations and are not reported as unknown, so no
 *      expected-diagnostic list is needed for them.
 *    - `.purge` and `.get ingestion resources` are data-management commands that the parser's grammar
 *      does not know: it reads them as `UnknownCommand` (purge's `<| where ...` even as skipped
 *      tokens) and reports no diagnostics at all, so for them "zero diagnostics" proves nothing.
 *      They are checked token by token instead, and purge's predicate is bound as a query.
 *    - The analyzer does not bind the partition column of `.create-or-alter external table`; the
 *      builder checks it against the column list itself.
 *    - Continuous-export names are not schema entities and are never resolved.
 *    - `.move extents ... to table T` does resolve T, so the schema holds the staging table.
 * 2. Injection: every name parameter of every builder rejects hostile names with a ValidationError
 *    naming that parameter; hostile-but-valid names and arbitrary string values come out of the
 *    parser as exactly the one name or literal they were meant to be.
 *
 * Every text goes through one cached ParseAndAnalyze (`check`), so a command shared by several tests
 * costs one parse (~60-150 ms for a control command).
 */
import { ValidationError } from '../../../lib/errors';
import * as commands from '../../../lib/kusto/commands';
import type { ColumnSpec } from '../../../lib/kusto/commands';
import { buildGlobalState } from '../../../lib/kusto/language';
import type { AnalysisSchema } from '../../../lib/kusto/language';
import { parseSimplePredicate } from '../../../lib/kusto/predicate';
import type { SimplePredicate } from '../../../lib/kusto/predicate';
import type { StorageTarget } from '../../../lib/kusto/quote';
import type { KustoCommand } from '../../../lib/kusto/types';
import {
  checkKql,
  describeDiagnostics,
  findLiterals,
  findNames,
  statementShape,
  tokensOf,
  warmUpParser,
} from '../../helpers/kqlAssert';
import type { KqlCheck } from '../../helpers/kqlAssert';

const COLUMNS: readonly ColumnSpec[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'Id', type: 'long' },
  { name: 'Name', type: 'string' },
  { name: 'Value', type: 'real' },
];

const TEST_SCHEMA: AnalysisSchema = {
  database: 'db1',
  tables: [
    { name: 'Events', columns: COLUMNS },
    { name: 'Events_staging', columns: COLUMNS },
  ],
  externalTables: [{ name: 'ExtEvents', columns: COLUMNS }],
};
const GLOBALS = buildGlobalState(TEST_SCHEMA) as object;

/** Parse + bind against TEST_SCHEMA, cached per text. */
const check = (text: string): KqlCheck => checkKql(text, GLOBALS);

/** Data-management commands outside the parser's command grammar (see the header). */
const OUTSIDE_GRAMMAR = new Set(['purgeRecords', 'getIngestionResources', 'getKustoIdentityToken']);
/** Queries, with the kind of their source expression. */
const QUERY_SOURCES: Record<string, string> = {
  countByIngestionDay: 'NameReference',
  countBySourceDay: 'NameReference',
  countSourceRows: 'NameReference',
  countLedgerMatches: 'ExternalDataExpression',
  currentCursor: 'PrintOperator',
  countMatchingRows: 'FunctionCallExpression',
};

const STORAGE: StorageTarget[] = [
  { account: 'acct1', container: 'backup', path: ['db1', 'Events'], auth: { kind: 'impersonate' } },
  {
    account: 'acct2',
    container: 'backup',
    path: ['db1', 'Events'],
    auth: { kind: 'managedIdentity', identity: 'system' },
  },
];
const OP1 = '8f2c2f1e-1c2b-4c4b-9b8a-1a2b3c4d5e6f';
const OP2 = '0d1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CURSOR = '636751928823156645';
const DAY1 = new Date('2025-01-01T00:00:00Z');
const DAY2 = new Date('2025-01-02T00:00:00Z');

function predicate(table = 'Events', text = "Id == 3 and Name has 'gdpr'"): SimplePredicate {
  return parseSimplePredicate(text, { name: table, columns: COLUMNS });
}

type Builders = typeof commands;
type BuilderName = {
  [K in keyof Builders]: Builders[K] extends (...args: never[]) => KustoCommand ? K : never;
}[keyof Builders];

interface Case {
  readonly label: string;
  readonly build: () => KustoCommand;
}

interface BuilderCases {
  readonly mutating: boolean;
  readonly endpoint: 'engine' | 'dm';
  readonly cases: readonly Case[];
}

const c = (label: string, build: () => KustoCommand): Case => ({ label, build });

const EXTERNAL_TABLE = {
  name: 'ExtEvents',
  columns: COLUMNS,
  partitionColumn: 'Timestamp',
  storage: STORAGE,
  folder: 'adx-backup',
  docString: 'Backup of Events',
} as const;

/** Reads one artifact (selected by its file name) of a day folder. */
const ONE_ARTIFACT = {
  name: 'ExtEvents',
  columns: COLUMNS,
  storage: [{ ...STORAGE[0]!, path: ['db1', 'Events', '20250101'] }],
  namePrefix: 'f00d_1_beef.parquet',
} as const;

const PROBE_TARGET: StorageTarget = { ...STORAGE[0]!, path: ['_monitor'] };

const SCRUB_EXPORT = {
  externalTable: 'ExtEvents',
  predicate: predicate('ExtEvents'),
  destination: { ...STORAGE[0]!, path: ['db1', 'Events', '20250101'] },
  namePrefix: 'scrub_0123',
} as const;

/** Two backup files of Events and two deletions (the second with a Name condition). */
const LEDGER_MATCH = {
  table: 'Events',
  columns: [COLUMNS[0]!, COLUMNS[1]!, COLUMNS[2]!],
  files: [
    { ...STORAGE[0]!, path: ['db1', 'Events', '20250101', 'f00d_1_beef.parquet'] },
    { ...STORAGE[1]!, path: ['db1', 'Events', '20250102', 'f00d_2_beef.parquet'] },
  ],
  predicates: [
    predicate(),
    parseSimplePredicate("Name startswith 'x'", { name: 'Events', columns: COLUMNS }),
  ],
  partitionColumn: 'Timestamp',
} as const;

const CONTINUOUS_EXPORT = {
  name: 'EventsExport',
  table: 'Events',
  externalTable: 'ExtEvents',
  columns: ['Timestamp', 'Id', 'Name', 'Value'],
  intervalBetweenRunsMs: 5 * 60_000,
  forcedLatencyMs: 10 * 60_000,
  sizeLimitBytes: 104_857_600,
  managedIdentity: 'system',
  distributed: true,
} as const;

/** One entry per builder; `satisfies` makes a missing builder a compile error too. */
const CASES = {
  createOrAlterExternalTable: {
    mutating: true,
    endpoint: 'engine',
    cases: [
      c('partitioned, two accounts, with properties', () =>
        commands.createOrAlterExternalTable(EXTERNAL_TABLE),
      ),
      c('unpartitioned, no properties', () =>
        commands.createOrAlterExternalTable({
          name: 'ExtEvents',
          columns: COLUMNS,
          storage: STORAGE.slice(0, 1),
        }),
      ),
      c('partition name avoids a "Day" column', () =>
        commands.createOrAlterExternalTable({
          name: 'ExtEvents',
          columns: [...COLUMNS, { name: 'Day', type: 'datetime' }, { name: 'Day1', type: 'string' }],
          partitionColumn: 'Day',
          storage: STORAGE,
        }),
      ),
      c('one artifact by name prefix', () => commands.createOrAlterExternalTable(ONE_ARTIFACT)),
    ],
  },
  dropExternalTable: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('one', () => commands.dropExternalTable('ExtEvents'))],
  },
  showExternalTable: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('one', () => commands.showExternalTable('ExtEvents'))],
  },
  showExternalTableSchema: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('one', () => commands.showExternalTableSchema('ExtEvents'))],
  },
  createOrAlterContinuousExport: {
    mutating: true,
    endpoint: 'engine',
    cases: [
      c('all properties, projected columns', () => commands.createOrAlterContinuousExport(CONTINUOUS_EXPORT)),
      c('minimal', () =>
        commands.createOrAlterContinuousExport({
          name: 'EventsExport',
          table: 'Events',
          externalTable: 'ExtEvents',
          intervalBetweenRunsMs: 3_600_000,
          managedIdentity: OP1,
        }),
      ),
    ],
  },
  showContinuousExports: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('all', () => commands.showContinuousExports())],
  },
  showContinuousExport: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('one', () => commands.showContinuousExport('EventsExport'))],
  },
  showContinuousExportFailures: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('one', () => commands.showContinuousExportFailures('EventsExport'))],
  },
  showExportedArtifacts: {
    mutating: false,
    endpoint: 'engine',
    cases: [
      c('all', () => commands.showExportedArtifacts('EventsExport')),
      c('since', () => commands.showExportedArtifacts('EventsExport', DAY1)),
    ],
  },
  enableContinuousExport: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('one', () => commands.enableContinuousExport('EventsExport'))],
  },
  disableContinuousExport: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('one', () => commands.disableContinuousExport('EventsExport'))],
  },
  dropContinuousExport: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('one', () => commands.dropContinuousExport('EventsExport'))],
  },
  exportChunkAsync: {
    mutating: true,
    endpoint: 'engine',
    cases: [
      c('time range', () =>
        commands.exportChunkAsync({
          table: 'Events',
          externalTable: 'ExtEvents',
          cursor: CURSOR,
          range: { from: DAY1, to: DAY2 },
        }),
      ),
      c('null ingestion time, not distributed', () =>
        commands.exportChunkAsync({
          table: 'Events',
          externalTable: 'ExtEvents',
          cursor: CURSOR,
          range: { nullIngestionTime: true },
          distributed: false,
          sizeLimitBytes: 1_073_741_824,
        }),
      ),
    ],
  },
  countByIngestionDay: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('query', () => commands.countByIngestionDay('Events', CURSOR))],
  },
  countBySourceDay: {
    mutating: false,
    endpoint: 'engine',
    cases: [
      c('query', () => commands.countBySourceDay('Events', 'Timestamp')),
      c('ingested by', () => commands.countBySourceDay('Events', 'Timestamp', { ingestedAtOrBefore: DAY2 })),
    ],
  },
  countSourceRows: {
    mutating: false,
    endpoint: 'engine',
    cases: [
      c('all', () => commands.countSourceRows('Events')),
      c('ingested by', () => commands.countSourceRows('Events', { ingestedAtOrBefore: DAY2 })),
    ],
  },
  countLedgerMatches: {
    mutating: false,
    endpoint: 'engine',
    cases: [
      c('per day, two predicates, two files', () => commands.countLedgerMatches(LEDGER_MATCH)),
      c('total', () =>
        commands.countLedgerMatches({
          ...LEDGER_MATCH,
          partitionColumn: undefined,
          files: LEDGER_MATCH.files.slice(1),
        }),
      ),
    ],
  },
  currentCursor: { mutating: false, endpoint: 'engine', cases: [c('query', () => commands.currentCursor())] },
  showOperations: {
    mutating: false,
    endpoint: 'engine',
    cases: [
      c('one', () => commands.showOperations([OP1])),
      c('several', () => commands.showOperations([OP1, OP2.toUpperCase(), OP1])),
    ],
  },
  showOperationDetails: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('one', () => commands.showOperationDetails(OP1))],
  },
  showCapacity: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('all', () => commands.showCapacity()), c('export', () => commands.showCapacity('DataExport'))],
  },
  showTables: { mutating: false, endpoint: 'engine', cases: [c('all', () => commands.showTables())] },
  showTableSchema: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('one', () => commands.showTableSchema('Events'))],
  },
  showDatabaseSchemaJson: {
    mutating: false,
    endpoint: 'engine',
    cases: [
      c('context database', () => commands.showDatabaseSchemaJson()),
      c('named', () => commands.showDatabaseSchemaJson('db1')),
    ],
  },
  showDatabaseSchemaScript: {
    mutating: false,
    endpoint: 'engine',
    cases: [
      c('context database', () => commands.showDatabaseSchemaScript()),
      c('named', () => commands.showDatabaseSchemaScript('db1')),
    ],
  },
  enableIngestionTimePolicy: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('one', () => commands.enableIngestionTimePolicy('Events'))],
  },
  showIngestionTimePolicy: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('one', () => commands.showIngestionTimePolicy('Events'))],
  },
  createMergeTable: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('new', () => commands.createMergeTable('Restored', COLUMNS))],
  },
  createTable: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('new', () => commands.createTable('Restored_staging', COLUMNS))],
  },
  moveExtents: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('staging to target', () => commands.moveExtents('Events_staging', 'Events'))],
  },
  dropTable: {
    mutating: true,
    endpoint: 'engine',
    cases: [
      c('plain', () => commands.dropTable('Events_staging')),
      c('ifexists', () => commands.dropTable('Events_staging', { ifExists: true })),
    ],
  },
  renameTable: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('one', () => commands.renameTable('Events_staging', 'Events_old'))],
  },
  clearTableData: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('one', () => commands.clearTableData('Events_staging'))],
  },
  deleteRecords: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('predicate', () => commands.deleteRecords('Events', predicate()))],
  },
  purgeRecords: {
    mutating: true,
    endpoint: 'dm',
    cases: [c('predicate', () => commands.purgeRecords('db1', 'Events', predicate()))],
  },
  showIngestionFailures: {
    mutating: false,
    endpoint: 'engine',
    cases: [
      c('all', () => commands.showIngestionFailures()),
      c('since, one table', () => commands.showIngestionFailures({ since: DAY1, table: 'Events' })),
    ],
  },
  getIngestionResources: {
    mutating: false,
    endpoint: 'dm',
    cases: [c('dm', () => commands.getIngestionResources())],
  },
  getKustoIdentityToken: {
    mutating: false,
    endpoint: 'dm',
    cases: [c('dm', () => commands.getKustoIdentityToken())],
  },
  summarizeTaggedExtents: {
    mutating: false,
    endpoint: 'engine',
    cases: [
      c('restore tag', () => commands.summarizeTaggedExtents('Events', 'adxbackup-restore:r-0123')),
      c('quote in tag', () => commands.summarizeTaggedExtents('Events', "it's")),
    ],
  },
  countMatchingRows: {
    mutating: false,
    endpoint: 'engine',
    cases: [c('predicate', () => commands.countMatchingRows('ExtEvents', predicate('ExtEvents')))],
  },
  exportRowsNotMatching: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('one artifact', () => commands.exportRowsNotMatching(SCRUB_EXPORT))],
  },
  probeStorageWrite: {
    mutating: true,
    endpoint: 'engine',
    cases: [c('monitor folder', () => commands.probeStorageWrite(PROBE_TARGET, 'storage-probe'))],
  },
} satisfies Record<BuilderName, BuilderCases>;

const builderNames = Object.entries(commands)
  .filter(([, value]) => typeof value === 'function')
  .map(([name]) => name)
  .sort();

const allCases = Object.entries(CASES as Record<string, BuilderCases>).flatMap(([builder, spec]) =>
  spec.cases.map((k) => ({ builder, label: k.label, spec, command: k.build() })),
);

beforeAll(() => warmUpParser());

describe('the case table', () => {
  it('covers every exported builder and nothing else', () => {
    expect(Object.keys(CASES).sort()).toEqual(builderNames);
  });

  it('uses a distinct, request-id-safe operation name per builder', () => {
    const byBuilder = new Map<string, Set<string>>();
    for (const { builder, command } of allCases) {
      expect(command.operation).toMatch(/^[a-z]+(-[a-z]+)*$/);
      byBuilder.set(builder, (byBuilder.get(builder) ?? new Set()).add(command.operation));
    }
    const operations = [...byBuilder.values()].map((s) => [...s]);
    expect(operations.every((o) => o.length === 1)).toBe(true);
    expect(new Set(operations.flat()).size).toBe(builderNames.length);
  });
});

describe.each(allCases)('$builder ($label)', ({ builder, spec, command }) => {
  it('declares its mutating flag and endpoint', () => {
    expect(command.mutating).toBe(spec.mutating);
    expect(command.endpoint).toBe(spec.endpoint);
    expect(Object.isFrozen(command)).toBe(true);
  });

  it('parses without diagnostics and every name resolves against the test schema', () => {
    const { syntax, semantic } = check(command.text);
    expect(describeDiagnostics(command.text, syntax)).toEqual([]);
    expect(describeDiagnostics(command.text, semantic)).toEqual([]);
  });

  it('is one statement that the parser recognises as intended', () => {
    const shape = statementShape(check(command.text).root);
    const query = QUERY_SOURCES[builder];
    const expected = query
      ? { kind: query, statements: 1, skippedTokens: false }
      : OUTSIDE_GRAMMAR.has(builder)
        ? { kind: 'UnknownCommand', statements: 1, skippedTokens: builder === 'purgeRecords' }
        : { kind: 'CustomCommand', statements: 1, skippedTokens: false };
    expect(shape).toEqual(expected);
  });
});

describe('commands outside the parser grammar, checked token by token', () => {
  it('purge: exact tokens, names as single string tokens, predicate bound as a query', () => {
    const p = predicate();
    const command = commands.purgeRecords('db1', 'Events', p);
    const values = tokensOf(check(command.text).root).map((t) => t.value);
    expect(values).toEqual([
      '.',
      'purge',
      'table',
      '[',
      'Events',
      ']',
      'records',
      'in',
      'database',
      '[',
      'db1',
      ']',
      'with',
      '(',
      'noregrets',
      '=',
      'true',
      ')',
      '<|',
      'where',
      'Id',
      '==',
      '3',
      'and',
      'Name',
      'has',
      'gdpr',
    ]);
    const predicateText = command.text.slice(command.text.indexOf('<| where ') + '<| where '.length);
    expect(predicateText).toBe(p.text);
    const query = check(`['Events'] | where ${predicateText}`);
    expect(query.syntax).toEqual([]);
    expect(query.semantic).toEqual([]);
  });

  it('get ingestion resources: exact tokens', () => {
    expect(tokensOf(check(commands.getIngestionResources().text).root).map((t) => t.value)).toEqual([
      '.',
      'get',
      'ingestion',
      'resources',
    ]);
  });

  it('get kusto identity token: exact tokens', () => {
    expect(tokensOf(check(commands.getKustoIdentityToken().text).root).map((t) => t.value)).toEqual([
      '.',
      'get',
      'kusto',
      'identity',
      'token',
    ]);
  });
});

describe('builder outputs', () => {
  // A few exact texts, so a silent change in shape (which the emulator and the runbooks rely on)
  // shows up in review.
  it('renders the external table with day partitions and obfuscated identity connection strings', () => {
    expect(CASES.createOrAlterExternalTable.cases[0]!.build().text).toBe(
      ".create-or-alter external table ['ExtEvents'] (['Timestamp']:datetime, ['Id']:long, ['Name']:string, ['Value']:real)" +
        ' kind=storage partition by (Day:datetime = startofday([\'Timestamp\'])) pathformat = (datetime_pattern("yyyyMMdd", Day))' +
        " dataformat=parquet (h@'https://acct1.blob.core.windows.net/backup/db1/Events;impersonate'," +
        " h@'https://acct2.blob.core.windows.net/backup/db1/Events;managed_identity=system')" +
        " with (folder='adx-backup', docString='Backup of Events')",
    );
    expect(CASES.createOrAlterExternalTable.cases[2]!.build().text).toContain(
      'partition by (Day2:datetime = startofday([\'Day\'])) pathformat = (datetime_pattern("yyyyMMdd", Day2))',
    );
  });

  it('renders the continuous export without a time filter', () => {
    expect(CASES.createOrAlterContinuousExport.cases[0]!.build().text).toBe(
      ".create-or-alter continuous-export ['EventsExport'] over (['Events']) to table ['ExtEvents']" +
        " with (intervalBetweenRuns=5m, forcedLatency=10m, sizeLimit=104857600, managedIdentity='system', distributed=true)" +
        " <| ['Events'] | project ['Timestamp'], ['Id'], ['Name'], ['Value']",
    );
    expect(CASES.createOrAlterContinuousExport.cases[1]!.build().text).toBe(
      ".create-or-alter continuous-export ['EventsExport'] over (['Events']) to table ['ExtEvents']" +
        ` with (intervalBetweenRuns=1h, managedIdentity='${OP1}') <| ['Events']`,
    );
  });

  it('bounds historical chunks by the cursor and a half-open ingestion-time range', () => {
    expect(CASES.exportChunkAsync.cases[0]!.build().text).toBe(
      ".export async to table ['ExtEvents'] <| ['Events'] | where cursor_before_or_at('636751928823156645')" +
        ' and ingestion_time() >= datetime(2025-01-01T00:00:00.0000000Z) and ingestion_time() < datetime(2025-01-02T00:00:00.0000000Z)',
    );
    expect(CASES.exportChunkAsync.cases[1]!.build().text).toBe(
      ".export async to table ['ExtEvents'] with (sizeLimit=1073741824, distributed=false) <| ['Events']" +
        " | where cursor_before_or_at('636751928823156645') and isnull(ingestion_time())",
    );
  });

  it('polls many operations in one command, deduplicated and lower-cased', () => {
    expect(commands.showOperations([OP1, OP2.toUpperCase(), OP1]).text).toBe(
      `.show operations (${OP1}, ${OP2})`,
    );
  });

  it('renders the planning and verification queries', () => {
    expect(commands.countByIngestionDay('Events', CURSOR).text).toBe(
      "['Events'] | where cursor_before_or_at('636751928823156645') | summarize count() by bin(ingestion_time(), 1d)",
    );
    expect(commands.countBySourceDay('Events', 'Timestamp').text).toBe(
      "['Events'] | summarize count() by bin(['Timestamp'], 1d)",
    );
  });

  it('embeds validated predicates in delete and purge', () => {
    expect(commands.deleteRecords('Events', predicate()).text).toBe(
      ".delete table ['Events'] records <| ['Events'] | where Id == 3 and Name has 'gdpr'",
    );
    expect(commands.purgeRecords('db1', 'Events', predicate()).text).toBe(
      ".purge table ['Events'] records in database ['db1'] with (noregrets='true') <| where Id == 3 and Name has 'gdpr'",
    );
  });

  it('counts matching rows and exports the others for a scrub, keeping rows whose predicate is null', () => {
    expect(commands.createOrAlterExternalTable(ONE_ARTIFACT).text).toBe(
      ".create-or-alter external table ['ExtEvents'] (['Timestamp']:datetime, ['Id']:long, ['Name']:string, ['Value']:real)" +
        " kind=storage dataformat=parquet (h@'https://acct1.blob.core.windows.net/backup/db1/Events/20250101;impersonate')" +
        " with (namePrefix='f00d_1_beef.parquet')",
    );
    expect(commands.countMatchingRows('ExtEvents', predicate('ExtEvents')).text).toBe(
      "external_table('ExtEvents') | summarize Total = count(), Matching = countif(Id == 3 and Name has 'gdpr')",
    );
    expect(commands.exportRowsNotMatching(SCRUB_EXPORT).text).toBe(
      ".export to parquet (h@'https://acct1.blob.core.windows.net/backup/db1/Events/20250101;impersonate')" +
        " with (namePrefix='scrub_0123', distributed=false)" +
        " <| external_table('ExtEvents') | where not(coalesce((Id == 3 and Name has 'gdpr'), false))",
    );
  });

  it("test-writes one row to a backup container with the backup's storage auth", () => {
    expect(commands.probeStorageWrite(PROBE_TARGET, 'storage-probe').text).toBe(
      ".export to csv (h@'https://acct1.blob.core.windows.net/backup/_monitor;impersonate')" +
        " with (namePrefix='storage-probe', includeHeaders='none', distributed=false)" +
        " <| print Probe = 'adx-backup storage probe'",
    );
  });

  it('counts source rows up to an ingestion time and ledger matches in exactly the listed files', () => {
    expect(commands.countBySourceDay('Events', 'Timestamp', { ingestedAtOrBefore: DAY2 }).text).toBe(
      "['Events'] | where ingestion_time() <= datetime(2025-01-02T00:00:00.0000000Z) or isnull(ingestion_time())" +
        " | summarize count() by bin(['Timestamp'], 1d)",
    );
    expect(commands.countSourceRows('Events').text).toBe("['Events'] | summarize count()");
    expect(commands.countLedgerMatches(LEDGER_MATCH).text).toBe(
      "externaldata (['Timestamp']:datetime, ['Id']:long, ['Name']:string) [" +
        "h@'https://acct1.blob.core.windows.net/backup/db1/Events/20250101/f00d_1_beef.parquet;impersonate', " +
        "h@'https://acct2.blob.core.windows.net/backup/db1/Events/20250102/f00d_2_beef.parquet;managed_identity=system']" +
        " with (format='parquet') | where (Id == 3 and Name has 'gdpr') or (Name startswith 'x')" +
        " | summarize count() by bin(['Timestamp'], 1d)",
    );
  });

  it('filters capacity, artifacts and ingestion failures', () => {
    expect(commands.showCapacity('DataExport').text).toBe(".show capacity | where Resource == 'DataExport'");
    expect(commands.showExportedArtifacts('X', DAY1).text).toBe(
      ".show continuous-export ['X'] exported-artifacts | where Timestamp > datetime(2025-01-01T00:00:00.0000000Z)",
    );
    expect(commands.showIngestionFailures({ since: DAY1, table: 'Events' }).text).toBe(
      ".show ingestion failures | where FailedOn > datetime(2025-01-01T00:00:00.0000000Z) and Table == 'Events'",
    );
  });

  it('renders the restore tag lookup and refuses a tag that is empty or spans lines', () => {
    expect(commands.summarizeTaggedExtents('Events', 'adxbackup-restore:r1').text).toBe(
      ".show table ['Events'] extents where tags has 'adxbackup-restore:r1'" +
        ' | summarize Extents = count(), RowCount = sum(RowCount), DeletedRowCount = sum(DeletedRowCount)',
    );
    expect(() => commands.summarizeTaggedExtents('Events', '')).toThrow(ValidationError);
    expect(() => commands.summarizeTaggedExtents('Events', 'a\nb')).toThrow(ValidationError);
  });
});

describe('the analyzer notices unknown names (so the zero-diagnostics check above can fail)', () => {
  it.each([
    ['unknown table', () => commands.showTableSchema('NoSuchTable')],
    [
      'unknown external table',
      () =>
        commands.exportChunkAsync({
          table: 'Events',
          externalTable: 'NoSuchExt',
          cursor: CURSOR,
          range: { from: DAY1, to: DAY2 },
        }),
    ],
    [
      'unknown projected column',
      () =>
        commands.createOrAlterContinuousExport({
          name: 'E',
          table: 'Events',
          externalTable: 'ExtEvents',
          columns: ['NoSuchColumn'],
          intervalBetweenRunsMs: 3_600_000,
        }),
    ],
    ['unknown column in a query', () => commands.countBySourceDay('Events', 'NoSuchColumn')],
  ])('%s', (_label, build) => {
    const command = build();
    const { syntax, semantic } = check(command.text);
    expect(syntax).toEqual([]);
    expect(semantic.map((d) => d.code)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^KS(204|142)$/)]),
    );
  });
});

describe('argument validation', () => {
  function fieldOf(fn: () => unknown): string {
    try {
      fn();
    } catch (e) {
      if (e instanceof ValidationError) return e.field;
      throw e;
    }
    throw new Error('expected a ValidationError');
  }

  const base = { table: 'Events', externalTable: 'ExtEvents', cursor: CURSOR } as const;
  it.each<[string, () => unknown, string]>([
    ['empty range', () => commands.exportChunkAsync({ ...base, range: { from: DAY2, to: DAY1 } }), 'range'],
    ['equal bounds', () => commands.exportChunkAsync({ ...base, range: { from: DAY1, to: DAY1 } }), 'range'],
    ['malformed range', () => commands.exportChunkAsync({ ...base, range: {} as never }), 'range'],
    [
      'invalid date',
      () => commands.exportChunkAsync({ ...base, range: { from: new Date('x'), to: DAY2 } }),
      'range.from',
    ],
    [
      'hostile cursor',
      () => commands.exportChunkAsync({ ...base, cursor: "1') or true //", range: { from: DAY1, to: DAY2 } }),
      'cursor',
    ],
    ['hostile cursor in planning', () => commands.countByIngestionDay('Events', "1'"), 'cursor'],
    [
      'size limit',
      () => commands.exportChunkAsync({ ...base, range: { from: DAY1, to: DAY2 }, sizeLimitBytes: 0 }),
      'sizeLimitBytes',
    ],
    [
      'distributed',
      () =>
        commands.exportChunkAsync({ ...base, range: { from: DAY1, to: DAY2 }, distributed: 'no' as never }),
      'distributed',
    ],
    ['no operation ids', () => commands.showOperations([]), 'operationIds'],
    [
      'too many ids',
      () => commands.showOperations(Array.from({ length: commands.MAX_OPERATIONS_PER_POLL + 1 }, () => OP1)),
      'operationIds',
    ],
    ['hostile id', () => commands.showOperations([OP1, `${OP2}) | take 1`]), 'operationIds[1]'],
    ['hostile detail id', () => commands.showOperationDetails("x' details"), 'operationId'],
    [
      'interval too short',
      () => commands.createOrAlterContinuousExport({ ...base, name: 'E', intervalBetweenRunsMs: 60_000 }),
      'intervalBetweenRunsMs',
    ],
    [
      'interval fractional',
      () => commands.createOrAlterContinuousExport({ ...base, name: 'E', intervalBetweenRunsMs: 60_000.5 }),
      'intervalBetweenRunsMs',
    ],
    [
      'forced latency',
      () =>
        commands.createOrAlterContinuousExport({
          ...base,
          name: 'E',
          intervalBetweenRunsMs: 120_000,
          forcedLatencyMs: -1,
        }),
      'forcedLatencyMs',
    ],
    [
      'export size limit',
      () =>
        commands.createOrAlterContinuousExport({
          ...base,
          name: 'E',
          intervalBetweenRunsMs: 120_000,
          sizeLimitBytes: 1000,
        }),
      'sizeLimitBytes',
    ],
    [
      'identity',
      () =>
        commands.createOrAlterContinuousExport({
          ...base,
          name: 'E',
          intervalBetweenRunsMs: 120_000,
          managedIdentity: "system'",
        }),
      'managedIdentity',
    ],
    [
      'empty projection',
      () =>
        commands.createOrAlterContinuousExport({
          ...base,
          name: 'E',
          intervalBetweenRunsMs: 120_000,
          columns: [],
        }),
      'columns',
    ],
    ['no columns', () => commands.createTable('T', []), 'columns'],
    ['duplicate column', () => commands.createTable('T', [COLUMNS[0]!, COLUMNS[0]!]), 'columns[1].name'],
    [
      'bad column type',
      () => commands.createMergeTable('T', [{ name: 'a', type: 'long) .drop table T' }]),
      'columns[0].type',
    ],
    [
      'no storage',
      () => commands.createOrAlterExternalTable({ name: 'X', columns: COLUMNS, storage: [] }),
      'storage',
    ],
    [
      'bad storage',
      () =>
        commands.createOrAlterExternalTable({
          name: 'X',
          columns: COLUMNS,
          storage: [STORAGE[0]!, { ...STORAGE[0]!, container: 'a' }],
        }),
      'storage[1].container',
    ],
    [
      'partition not a column',
      () =>
        commands.createOrAlterExternalTable({
          name: 'X',
          columns: COLUMNS,
          storage: STORAGE,
          partitionColumn: 'Nope',
        }),
      'partitionColumn',
    ],
    [
      'partition not datetime',
      () =>
        commands.createOrAlterExternalTable({
          name: 'X',
          columns: COLUMNS,
          storage: STORAGE,
          partitionColumn: 'Name',
        }),
      'partitionColumn',
    ],
    [
      'hostile partition',
      () =>
        commands.createOrAlterExternalTable({
          name: 'X',
          columns: COLUMNS,
          storage: STORAGE,
          partitionColumn: "a'])",
        }),
      'partitionColumn',
    ],
    ['predicate for another table', () => commands.deleteRecords('Events_staging', predicate()), 'predicate'],
    [
      'forged predicate',
      () =>
        commands.purgeRecords('db1', 'Events', {
          text: 'true',
          table: 'Events',
        } as unknown as SimplePredicate),
      'predicate',
    ],
    [
      'raw text as predicate',
      () => commands.deleteRecords('Events', 'Id == 1' as unknown as SimplePredicate),
      'predicate',
    ],
    [
      'non-string docString',
      () => commands.createOrAlterExternalTable({ ...EXTERNAL_TABLE, docString: 42 as unknown as string }),
      'docString',
    ],
    ['artifact filter date', () => commands.showExportedArtifacts('X', new Date(NaN)), 'since'],
    [
      'scrub predicate for the source table',
      () => commands.exportRowsNotMatching({ ...SCRUB_EXPORT, predicate: predicate() }),
      'predicate',
    ],
    [
      'count predicate for another table',
      () => commands.countMatchingRows('ExtEvents', predicate()),
      'predicate',
    ],
    [
      'name prefix with a path',
      () => commands.exportRowsNotMatching({ ...SCRUB_EXPORT, namePrefix: '../x' }),
      'namePrefix',
    ],
    ['probe prefix with a path', () => commands.probeStorageWrite(PROBE_TARGET, 'a/b'), 'namePrefix'],
    [
      'probe target with a SAS-like container',
      () => commands.probeStorageWrite({ ...PROBE_TARGET, container: 'x?sig=1' }, 'p'),
      'destination.container',
    ],
    [
      'ledger match predicate for another table',
      () => commands.countLedgerMatches({ ...LEDGER_MATCH, predicates: [predicate('ExtEvents')] }),
      'predicate',
    ],
    [
      'ledger match without files',
      () => commands.countLedgerMatches({ ...LEDGER_MATCH, files: [] }),
      'files',
    ],
    [
      'ledger match over too many files',
      () =>
        commands.countLedgerMatches({
          ...LEDGER_MATCH,
          files: Array.from({ length: commands.MAX_FILES_PER_LEDGER_MATCH + 1 }, () => LEDGER_MATCH.files[0]),
        }),
      'files',
    ],
    [
      'ledger match by a column it does not read',
      () => commands.countLedgerMatches({ ...LEDGER_MATCH, partitionColumn: 'Value' }),
      'partitionColumn',
    ],
    [
      'source count date',
      () => commands.countSourceRows('Events', { ingestedAtOrBefore: new Date(NaN) }),
      'ingestedAtOrBefore',
    ],
    [
      'external table name prefix with a path',
      () => commands.createOrAlterExternalTable({ ...ONE_ARTIFACT, namePrefix: 'a/b.parquet' }),
      'namePrefix',
    ],
  ])('%s', (_label, fn, field) => {
    expect(fieldOf(fn)).toBe(field);
  });

  it('keeps a forged predicate out of purge even when it names the right table', () => {
    // The type system blocks this; at run time the text is at least forced to be a string.
    expect(() =>
      commands.purgeRecords('db1', 'Events', { table: 'Events' } as unknown as SimplePredicate),
    ).toThrow(ValidationError);
  });
});

// ---------------------------------------------------------------------------------------------
// Injection

const HOSTILE_NAMES_REJECTED: unknown[] = [
  "O'Brien",
  'a"b',
  'a]b',
  "a'] | take 1 //",
  'a\nb',
  'a\r\n.drop table Events',
  'a|b',
  'a;b',
  'a//b',
  'a\\b',
  'a\u0000b',
  'x'.repeat(1025),
  '',
  7,
];

/** Names that are valid but look dangerous; each must come back as exactly one name. */
const HOSTILE_NAMES_ACCEPTED = [
  'where',
  '1day',
  'Ünïcødé 名前',
  'drop table Events',
  'a.b-c d_e',
  'ℌ𝔢𝔩𝔩𝔬',
  'x'.repeat(1024),
  'datetime',
];

/** A parameter of a builder that takes an entity name. */
interface NameSlot {
  readonly field: string;
  /** The value used in the baseline command; distinct from every other name in it. */
  readonly sample: string;
  /** Names rendered as a string literal (compared against literals instead of names). */
  readonly asLiteral?: boolean;
}

/** A builder's name parameters; `build` takes one value per slot, in order. */
interface NameSlots {
  readonly builder: BuilderName;
  readonly slots: readonly NameSlot[];
  readonly build: (values: readonly string[]) => KustoCommand;
}

// Defaults equal the first case of each builder above, so each baseline below reuses a cached parse.
const ext = (patch: Partial<Parameters<typeof commands.createOrAlterExternalTable>[0]>): KustoCommand =>
  commands.createOrAlterExternalTable({ ...EXTERNAL_TABLE, ...patch });
const chunk = (patch: Partial<Parameters<typeof commands.exportChunkAsync>[0]>): KustoCommand =>
  commands.exportChunkAsync({
    table: 'Events',
    externalTable: 'ExtEvents',
    cursor: CURSOR,
    range: { from: DAY1, to: DAY2 },
    ...patch,
  });
/** COLUMNS with the column at `index` renamed. */
const renamed = (index: number, name: string): ColumnSpec[] =>
  COLUMNS.map((col, i) => (i === index ? { ...col, name } : col));

/** A real predicate for valid table names; for invalid ones the builder must fail before using it. */
function predicateOrStub(table: string): SimplePredicate {
  try {
    return predicate(table);
  } catch {
    return predicate();
  }
}

const one = (
  builder: BuilderName,
  field: string,
  sample: string,
  build: (v: string) => KustoCommand,
  asLiteral = false,
): NameSlots => ({ builder, slots: [{ field, sample, asLiteral }], build: ([v]) => build(v!) });

const v = (values: readonly string[], i: number): string => values[i]!;

const NAME_SLOTS: NameSlots[] = [
  {
    builder: 'createOrAlterExternalTable',
    slots: [
      { field: 'name', sample: 'ExtEvents' },
      // The partition column is renamed together with its column.
      { field: 'columns[0].name', sample: 'Timestamp' },
      { field: 'columns[1].name', sample: 'Id' },
    ],
    build: (x) =>
      ext({
        name: v(x, 0),
        columns: renamed(0, v(x, 1)).map((col, i) => (i === 1 ? { ...col, name: v(x, 2) } : col)),
        partitionColumn: v(x, 1),
      }),
  },
  {
    builder: 'createOrAlterContinuousExport',
    slots: [
      { field: 'name', sample: 'EventsExport' },
      { field: 'table', sample: 'Events' },
      { field: 'externalTable', sample: 'ExtEvents' },
      { field: 'columns[1]', sample: 'Id' },
    ],
    build: (x) =>
      commands.createOrAlterContinuousExport({
        ...CONTINUOUS_EXPORT,
        name: v(x, 0),
        table: v(x, 1),
        externalTable: v(x, 2),
        columns: ['Timestamp', v(x, 3), 'Name', 'Value'],
      }),
  },
  one('showContinuousExport', 'name', 'EventsExport', (x) => commands.showContinuousExport(x)),
  one('showContinuousExportFailures', 'name', 'EventsExport', (x) =>
    commands.showContinuousExportFailures(x),
  ),
  one('showExportedArtifacts', 'name', 'EventsExport', (x) => commands.showExportedArtifacts(x, DAY1)),
  one('enableContinuousExport', 'name', 'EventsExport', (x) => commands.enableContinuousExport(x)),
  one('disableContinuousExport', 'name', 'EventsExport', (x) => commands.disableContinuousExport(x)),
  one('dropContinuousExport', 'name', 'EventsExport', (x) => commands.dropContinuousExport(x)),
  {
    builder: 'exportChunkAsync',
    slots: [
      { field: 'table', sample: 'Events' },
      { field: 'externalTable', sample: 'ExtEvents' },
    ],
    build: (x) => chunk({ table: v(x, 0), externalTable: v(x, 1) }),
  },
  one('countByIngestionDay', 'table', 'Events', (x) => commands.countByIngestionDay(x, CURSOR)),
  {
    builder: 'countBySourceDay',
    slots: [
      { field: 'table', sample: 'Events' },
      { field: 'column', sample: 'Timestamp' },
    ],
    build: (x) => commands.countBySourceDay(v(x, 0), v(x, 1)),
  },
  one('showCapacity', 'resource', 'DataExport', (x) => commands.showCapacity(x), true),
  one('showTableSchema', 'table', 'Events', (x) => commands.showTableSchema(x)),
  one('showDatabaseSchemaJson', 'database', 'db1', (x) => commands.showDatabaseSchemaJson(x)),
  one('showDatabaseSchemaScript', 'database', 'db1', (x) => commands.showDatabaseSchemaScript(x)),
  one('enableIngestionTimePolicy', 'table', 'Events', (x) => commands.enableIngestionTimePolicy(x)),
  one('showIngestionTimePolicy', 'table', 'Events', (x) => commands.showIngestionTimePolicy(x)),
  one('showExternalTable', 'name', 'ExtEvents', (x) => commands.showExternalTable(x)),
  one('dropExternalTable', 'name', 'ExtEvents', (x) => commands.dropExternalTable(x)),
  // The predicate must be validated for the same (hostile) name; the name check runs first.
  one(
    'countMatchingRows',
    'externalTable',
    'ExtEvents',
    (x) => commands.countMatchingRows(x, predicateOrStub(x)),
    true,
  ),
  one(
    'exportRowsNotMatching',
    'externalTable',
    'ExtEvents',
    (x) =>
      commands.exportRowsNotMatching({ ...SCRUB_EXPORT, externalTable: x, predicate: predicateOrStub(x) }),
    true,
  ),
  one('showExternalTableSchema', 'name', 'ExtEvents', (x) => commands.showExternalTableSchema(x)),
  one('countSourceRows', 'table', 'Events', (x) => commands.countSourceRows(x)),
  {
    // The partition column is renamed together with its column; the predicates use the others.
    builder: 'countLedgerMatches',
    slots: [{ field: 'columns[0].name', sample: 'Timestamp' }],
    build: (x) =>
      commands.countLedgerMatches({
        ...LEDGER_MATCH,
        columns: renamed(0, v(x, 0)).slice(0, 3),
        partitionColumn: v(x, 0),
      }),
  },
  {
    builder: 'createMergeTable',
    slots: [
      { field: 'table', sample: 'Restored' },
      { field: 'columns[1].name', sample: 'Id' },
    ],
    build: (x) => commands.createMergeTable(v(x, 0), renamed(1, v(x, 1))),
  },
  {
    builder: 'createTable',
    slots: [
      { field: 'table', sample: 'Restored_staging' },
      { field: 'columns[1].name', sample: 'Id' },
    ],
    build: (x) => commands.createTable(v(x, 0), renamed(1, v(x, 1))),
  },
  {
    builder: 'moveExtents',
    slots: [
      { field: 'fromTable', sample: 'Events_staging' },
      { field: 'toTable', sample: 'Events' },
    ],
    build: (x) => commands.moveExtents(v(x, 0), v(x, 1)),
  },
  one('dropTable', 'table', 'Events_staging', (x) => commands.dropTable(x, { ifExists: true })),
  {
    builder: 'renameTable',
    slots: [
      { field: 'table', sample: 'Events_staging' },
      { field: 'newName', sample: 'Events_old' },
    ],
    build: (x) => commands.renameTable(v(x, 0), v(x, 1)),
  },
  one('clearTableData', 'table', 'Events_staging', (x) => commands.clearTableData(x)),
  // The predicate must be validated for the same (hostile) table; the name check runs first.
  one('deleteRecords', 'table', 'Events', (x) => commands.deleteRecords(x, predicateOrStub(x))),
  {
    builder: 'purgeRecords',
    slots: [
      { field: 'database', sample: 'db1' },
      { field: 'table', sample: 'Events' },
    ],
    build: (x) => commands.purgeRecords(v(x, 0), v(x, 1), predicateOrStub(v(x, 1))),
  },
  one(
    'showIngestionFailures',
    'table',
    'Events',
    (x) => commands.showIngestionFailures({ since: DAY1, table: x }),
    true,
  ),
  one('summarizeTaggedExtents', 'table', 'Events', (x) => commands.summarizeTaggedExtents(x, 'tag')),
];

const samplesOf = (group: NameSlots): string[] => group.slots.map((s) => s.sample);

describe('injection: hostile names are rejected, naming the parameter', () => {
  it('every builder with a name parameter has its slots listed', () => {
    const withSlots = NAME_SLOTS.map((g) => g.builder);
    const withoutNames = [
      'showContinuousExports',
      'currentCursor',
      'showOperations',
      'showOperationDetails',
      'showTables',
      'getIngestionResources',
      'getKustoIdentityToken',
      // Its only text parameters are a storage target (validated in quote.test.ts) and a file prefix.
      'probeStorageWrite',
    ];
    expect([...withSlots, ...withoutNames].sort()).toEqual(builderNames);
  });

  const slots = NAME_SLOTS.flatMap((group) => group.slots.map((slot, index) => ({ group, slot, index })));
  it.each(slots.map((x) => [`${x.group.builder}.${x.slot.field}`, x] as const))(
    '%s',
    (_label, { group, slot, index }) => {
      for (const value of HOSTILE_NAMES_REJECTED) {
        const values = samplesOf(group).map((sample, i) => (i === index ? (value as string) : sample));
        let error: unknown;
        try {
          group.build(values);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe(slot.field);
      }
    },
  );
});

describe('injection: hostile but valid names come back as exactly that name', () => {
  // All name parameters of a builder get distinct hostile names at once (one parse per builder keeps
  // the suite fast), rotating through the list so every value lands in several kinds of position.
  // The token stream must be the baseline's with each sample's single token replaced by its hostile
  // value; where the parser knows the grammar, the name (or literal) nodes must match the same way.
  let next = 0;
  const groups = NAME_SLOTS.map((group) => {
    const values = group.slots.map(() => HOSTILE_NAMES_ACCEPTED[next++ % HOSTILE_NAMES_ACCEPTED.length]!);
    return [group.builder, group, values] as const;
  });

  it.each(groups)('%s', (_label, group, values) => {
    const samples = samplesOf(group);
    const baseline = check(group.build(samples).text);
    const hostile = check(group.build(values).text);
    expect(baseline.syntax).toEqual([]);
    expect(hostile.syntax).toEqual([]);
    const replacement = new Map(samples.map((sample, i) => [sample, values[i]!]));
    const swap = (x: string): string => replacement.get(x) ?? x;

    const expectedTokens = tokensOf(baseline.root).map((t) => ({ ...t, value: swap(t.value) }));
    expect(expectedTokens.map((t) => t.value)).toEqual(expect.arrayContaining(values));
    expect(tokensOf(hostile.root)).toEqual(expectedTokens);

    if (OUTSIDE_GRAMMAR.has(group.builder)) return;
    const names = (k: KqlCheck): string[] => findNames(k.root).map((n) => n.name);
    const literals = (k: KqlCheck): string[] => findLiterals(k.root).map((l) => l.value);
    const asNames = group.slots.filter((s) => !s.asLiteral).map((s) => replacement.get(s.sample)!);
    const asLiterals = group.slots.filter((s) => s.asLiteral).map((s) => replacement.get(s.sample)!);
    expect(names(hostile)).toEqual(names(baseline).map(swap));
    expect(names(hostile)).toEqual(expect.arrayContaining(asNames));
    expect(literals(hostile)).toEqual(literals(baseline).map(swap));
    expect(literals(hostile)).toEqual(expect.arrayContaining(asLiterals));
  });
});

describe('injection: arbitrary string values come back as exactly that literal', () => {
  // Each value mixes several hazards; quote.test.ts checks many more values cheaply with queries.
  const HOSTILE_STRINGS = [
    'it\'s "quoted" back\\slash\\',
    "x' | .drop table Events //\nline two\r\n",
    "'); .drop table ['Events'] <| /* c */",
    "\u0000\u0001\u007f\u2028 😀 名前 Ünï h@'x'",
  ];
  const pairs = HOSTILE_STRINGS.reduce<[string, string][]>((acc, v, i) => {
    if (i % 2 === 0) acc.push([v, HOSTILE_STRINGS[i + 1] ?? '']);
    return acc;
  }, []);

  it.each(pairs)('folder %j, docString %j', (folder, docString) => {
    const baseline = check(ext({}).text);
    const { root, syntax } = check(ext({ folder, docString }).text);
    expect(syntax).toEqual([]);
    const swap = (v: string): string =>
      v === EXTERNAL_TABLE.folder ? folder : v === EXTERNAL_TABLE.docString ? docString : v;
    const expected = findLiterals(baseline.root).map((l) => swap(l.value));
    expect(findLiterals(root).map((l) => l.value)).toEqual(expected);
    expect(findNames(root).map((n) => n.name)).toEqual(findNames(baseline.root).map((n) => n.name));
  });

  it('storage path segments stay inside one connection-string literal', () => {
    const segments = ["it's", 'a/b', "'); .drop", 'Ünï 名'];
    const { root, syntax } = check(ext({ storage: [{ ...STORAGE[0]!, path: segments }] }).text);
    expect(syntax).toEqual([]);
    const urls = findLiterals(root).filter((l) => l.value.startsWith('https://'));
    expect(urls).toHaveLength(1);
    const url = urls[0]!.value.replace(/;impersonate$/, '');
    expect(new URL(url).pathname.split('/').slice(2).map(decodeURIComponent)).toEqual(segments);
  });
});
