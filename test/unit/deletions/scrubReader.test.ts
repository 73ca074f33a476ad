import { parseArtifactUrl } from '../../../lib/deletions/artifactLocation';
import { ScrubReader } from '../../../lib/deletions/scrubReader';
import { parseSimplePredicate } from '../../../lib/kusto/predicate';
import { table } from '../../helpers/resultTables';
import { scriptedGateway } from '../../helpers/scriptedGateway';

const COLUMNS = [
  { name: 'Id', type: 'long' },
  { name: 'Customer', type: 'string' },
];
const NAME = 'adxbackup_scrub_abc';
const location = parseArtifactUrl(
  'https://acct1.blob.core.windows.net/backup/Sales/Orders/20260101/r1_1_f1.parquet',
);

test('points one temporary external table at a folder or a file, counts, exports the rest, drops it', async () => {
  const gateway = scriptedGateway({
    'create-or-alter-external-table': table('TableName:string', [[NAME]]),
    'count-matching-rows': table('Total:long, Matching:long', [[5, 2]]),
    'export-rows-not-matching': table('Path:string, NumRecords:long, SizeInBytes:long', [
      ['https://acct1.blob.core.windows.net/backup/Sales/Orders/20260101/scrub_abc_1.parquet', 3, 900],
    ]),
    'drop-external-table': table('TableName:string', [[NAME]]),
  });
  const reader = new ScrubReader({
    gateway,
    database: 'Sales',
    name: NAME,
    columns: COLUMNS,
    predicate: parseSimplePredicate("Customer == 'alice'", { name: NAME, columns: COLUMNS }),
    auth: { kind: 'managedIdentity', identity: 'system' },
  });
  await reader.drop(); // never created: nothing to drop
  await reader.point(location);
  await reader.point(location, location.fileName);
  expect(await reader.count()).toEqual({ total: 5, matching: 2 });
  expect(await reader.exportKept(location, 'scrub_abc')).toEqual([
    {
      path: 'https://acct1.blob.core.windows.net/backup/Sales/Orders/20260101/scrub_abc_1.parquet',
      numRecords: 3,
      sizeInBytes: 900,
    },
  ]);
  await reader.drop();
  await reader.drop();

  const folder =
    "h@'https://acct1.blob.core.windows.net/backup/Sales/Orders/20260101;managed_identity=system'";
  const definition = `.create-or-alter external table ['${NAME}'] (['Id']:long, ['Customer']:string) kind=storage dataformat=parquet (${folder})`;
  expect(gateway.sent.map((c) => c.text)).toEqual([
    `${definition} with (folder='adx-backup', docString='temporary: deletion-ledger scrub')`,
    `${definition} with (folder='adx-backup', docString='temporary: deletion-ledger scrub', namePrefix='r1_1_f1.parquet')`,
    `external_table('${NAME}') | summarize Total = count(), Matching = countif(Customer == 'alice')`,
    `.export to parquet (${folder}) with (namePrefix='scrub_abc', distributed=false) <| external_table('${NAME}') | where not(coalesce((Customer == 'alice'), false))`,
    `.drop external table ['${NAME}']`,
  ]);
});
