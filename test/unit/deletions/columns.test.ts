import { notFoundFrom, readExternalTableColumns, readTableColumns } from '../../../lib/deletions/columns';
import { NotFoundError, PermanentError, TransientError } from '../../../lib/errors';
import { notFound, scriptedGateway } from '../../helpers/scriptedGateway';
import { schemaAnswer } from '../../helpers/schemaAnswers';

test('reads the live columns of a table and of an external table', async () => {
  const gateway = scriptedGateway({
    'show-table-schema': schemaAnswer('Orders', { Id: 'long', Customer: 'string' }),
    'show-external-table-schema': schemaAnswer('adxbackup_Orders', { Id: 'long' }),
  });
  expect(await readTableColumns(gateway, 'Sales', 'Orders')).toEqual([
    { name: 'Id', type: 'long' },
    { name: 'Customer', type: 'string' },
  ]);
  expect(await readExternalTableColumns(gateway, 'Sales', 'adxbackup_Orders')).toEqual([
    { name: 'Id', type: 'long' },
  ]);
  expect(gateway.sent.map((c) => c.text)).toEqual([
    ".show table ['Orders'] schema as json",
    ".show external table ['adxbackup_Orders'] schema as json",
  ]);
});

test('an unknown table or database is a NotFoundError naming it; other failures pass through', async () => {
  const missingDb = new PermanentError('no db', { serverCode: 'BadRequest_DatabaseNotExist' });
  const gateway = scriptedGateway({
    'show-table-schema': [
      notFound('Table', 'Nope'),
      missingDb,
      new TransientError('503'),
      new PermanentError('x'),
    ],
  });
  await expect(readTableColumns(gateway, 'Sales', 'Nope')).rejects.toThrow(
    new NotFoundError("table 'Nope' was not found in database 'Sales'"),
  );
  await expect(readTableColumns(gateway, 'Gone', 'T')).rejects.toThrow(
    new NotFoundError("database 'Gone' was not found"),
  );
  await expect(readTableColumns(gateway, 'Sales', 'T')).rejects.toBeInstanceOf(TransientError);
  await expect(readTableColumns(gateway, 'Sales', 'T')).rejects.toBeInstanceOf(PermanentError);
  expect(notFoundFrom(new Error('x'), 'db', 'table')).toBeUndefined();
});
