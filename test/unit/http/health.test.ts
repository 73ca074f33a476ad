import { HttpRequest } from '@azure/functions';
import { makeHealthHandler } from '../../../lib/http/health';
import { loadConfig } from '../../../lib/config';

const req = new HttpRequest({ url: 'http://localhost/api/health', method: 'GET' });

test('reports ok with the effective settings', async () => {
  const handler = makeHealthHandler({
    loadConfig: () => loadConfig({ ADX_BACKUP_DATABASES: 'a,b' }),
    version: '9.9.9',
  });
  const res = await handler(req);
  expect(res.status).toBe(200);
  expect(res.jsonBody).toMatchObject({ status: 'ok', version: '9.9.9', databases: ['a', 'b'] });
});

test('reports every bad setting with 500', async () => {
  const handler = makeHealthHandler({
    loadConfig: () => loadConfig({ ADX_BACKUP_EXPORT_INTERVAL: 'x', ADX_BACKUP_RESTORE_BATCH_SIZE: '0' }),
    version: '1',
  });
  const res = await handler(req);
  expect(res.status).toBe(500);
  const keys = (res.jsonBody as { problems: { key: string }[] }).problems.map((p) => p.key).sort();
  expect(keys).toEqual(['ADX_BACKUP_EXPORT_INTERVAL', 'ADX_BACKUP_RESTORE_BATCH_SIZE']);
});
