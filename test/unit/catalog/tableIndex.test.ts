import { canonicalPath, effectiveState, indexArtifacts, setRecord } from '../../../lib/catalog/tableIndex';
import { artifact } from '../../helpers/catalogFakes';

const A = 'https://acct.blob.core.windows.net/backup/db/My%20T';

it('groups differently spelled URLs of one file and ranks committed over orphan over pending', () => {
  const raw = artifact(`${A}/20260101/f.parquet`, { state: 'committed' });
  const alias = artifact('https://acct.dfs.core.windows.net/backup/db/My T/20260101/f.parquet', {
    state: 'pending',
  });
  const index = indexArtifacts([raw, alias]);
  expect([...index.keys()]).toEqual([`${A}/20260101/f.parquet`]);
  expect(effectiveState(index.get(`${A}/20260101/f.parquet`))).toBe('committed');
  expect(effectiveState([artifact('x', { state: 'pending' }), artifact('y', { state: 'orphan' })])).toBe(
    'orphan',
  );
  expect(effectiveState(undefined)).toBeUndefined();
  setRecord(index, { ...raw, state: 'orphan' });
  expect(
    index
      .get(`${A}/20260101/f.parquet`)!
      .map((r) => r.state)
      .sort(),
  ).toEqual(['orphan', 'pending']);
  expect(canonicalPath('not a url')).toBe('not a url');
});
