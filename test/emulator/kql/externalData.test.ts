import type { Column } from '../values';
import { memoryEnv, run } from './testing';
import type { QueryEnv, Relation } from './types';

function envReading(
  calls: { uris: readonly string[]; format: string; columns: readonly Column[]; skip: boolean }[],
): QueryEnv {
  return {
    ...memoryEnv({}),
    externalData(uris, format, columns, skip): Promise<Relation> {
      calls.push({ uris, format, columns, skip });
      return Promise.resolve({
        columns: [...columns],
        rows: uris.map((_, i) => ({ values: columns.map(() => i) })),
      });
    },
  };
}

it('hands the schema, the files, the format and ignoreFirstRecord to the environment', async () => {
  const calls: Parameters<typeof envReading>[0] = [];
  const env = envReading(calls);
  const r = await run(
    "externaldata (['A']:long, B:long) [h@'https://a.blob.core.windows.net/c/x.csv;impersonate', 'https://a/c/y.csv'] with (format='csv', ignoreFirstRecord=true) | where A >= 1",
    env,
  );
  expect(r).toEqual({ names: ['A', 'B'], types: ['long', 'long'], rows: [[1, 1]] });
  expect(calls).toEqual([
    {
      uris: ['https://a.blob.core.windows.net/c/x.csv;impersonate', 'https://a/c/y.csv'],
      format: 'csv',
      columns: [
        { name: 'A', type: 'long' },
        { name: 'B', type: 'long' },
      ],
      skip: true,
    },
  ]);
  await run("externaldata (A:long) ['https://a/c/z']", env);
  expect(calls[1]).toMatchObject({ format: 'csv', skip: false });
});

it('is unsupported where the environment has no storage', async () => {
  await expect(run("externaldata (A:long) ['https://a/c/z']", memoryEnv({}))).rejects.toThrow(
    'externaldata in this context is not supported by the emulator.',
  );
});
