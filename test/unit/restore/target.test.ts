import { NotFoundError, PermanentError } from '../../../lib/errors';
import type { ContinuousExport } from '../../../lib/kusto/results';
import { exportsOfTable, incompatibilities, readTarget } from '../../../lib/restore/target';
import { scriptedGateway } from '../../helpers/scriptedGateway';
import { databaseSchema, exportsAnswer } from './fixtures';

const exp = (name: string, query: string, scoped: string[] = []): ContinuousExport =>
  ({ name, query, cursorScopedTables: scoped }) as unknown as ContinuousExport;

describe('incompatibilities', () => {
  const wanted = [
    { name: 'Ts', type: 'datetime' },
    { name: 'Id', type: 'long' },
    { name: 'N', type: 'int32' },
  ];
  it('accepts a target with every column (same types, synonyms too) and extra ones', () => {
    expect(
      incompatibilities(wanted, [
        { name: 'Extra', cslType: 'string' },
        { name: 'N', cslType: 'int' },
        { name: 'Id', cslType: 'long' },
        { name: 'Ts', cslType: 'datetime' },
      ]),
    ).toEqual([]);
  });
  it('names every missing column and every type that differs', () => {
    expect(incompatibilities(wanted, [{ name: 'Ts', cslType: 'string' }])).toEqual([
      "column 'Ts' is string, the backup has datetime",
      "column 'Id:long' is missing",
      "column 'N:int' is missing",
    ]);
  });
});

describe('exportsOfTable', () => {
  it('finds exports by their cursor-scoped table, else by the table their query starts with', () => {
    const exports = [
      exp('a', 'Orders | where x', ["['Sales'].['Orders']"]),
      exp('b', "['Orders'] | project Id"),
      exp('c', 'OrdersArchive'),
      exp('d', 'Other', ["['Sales'].['Other']"]),
      exp('e', "['it\\'s'] | take 1"),
    ];
    expect(exportsOfTable(exports, 'Orders')).toEqual(['a', 'b']);
    expect(exportsOfTable(exports, "it's")).toEqual(['e']);
    expect(exportsOfTable(exports, 'Nothing')).toEqual([]);
  });
});

describe('readTarget', () => {
  it('reads tables and continuous exports', async () => {
    const gateway = scriptedGateway({
      'show-database-schema-json': databaseSchema('T', { Orders: ['Ts:datetime'] }),
      'show-continuous-exports': exportsAnswer([{ name: 'x', query: 'Orders' }]),
    });
    const target = await readTarget(gateway, 'T');
    expect([...target.tables.keys()]).toEqual(['Orders']);
    expect(target.exports.map((e) => e.name)).toEqual(['x']);
    expect(gateway.mutating()).toEqual([]);
  });
  it('turns an unknown database into NotFoundError and lets other failures through', async () => {
    const missing = new PermanentError("database 'T' was not found", {
      serverCode: 'BadRequest_DatabaseNotExist',
    });
    await expect(readTarget(scriptedGateway({ 'show-database-schema-json': missing }), 'T')).rejects.toThrow(
      NotFoundError,
    );
    const other = new PermanentError('forbidden', { serverCode: 'Forbidden' });
    await expect(readTarget(scriptedGateway({ 'show-database-schema-json': other }), 'T')).rejects.toBe(
      other,
    );
  });
});
