import { columnDrift, describeDrift } from '../../../lib/domain/schemaDrift';

const cols = (...spec: string[]) =>
  spec.map((s) => {
    const [name, type] = s.split(':');
    return { name: name!, type: type! };
  });

test('no drift for the same columns in the same order, type synonyms included', () => {
  expect(columnDrift(cols('a:long', 'b:int', 'c:string'), cols('a:long', 'b:int32', 'c:String'))).toBeNull();
});

test('every kind of drift, at once, and its one-line description', () => {
  const drift = columnDrift(
    cols('a:long', 'b:int', 'c:string', 'd:real'),
    cols('c:string', 'a:string', 'b:int', 'e:bool'),
  );
  expect(drift).toEqual({
    added: ['e'],
    removed: ['d'],
    retyped: [{ name: 'a', from: 'long', to: 'string' }],
    reordered: true,
  });
  expect(describeDrift(drift!)).toBe('added e; removed d; retyped a (long -> string); columns reordered');
});

test('a column appended or removed at the end is not a reorder', () => {
  expect(columnDrift(cols('a:long'), cols('a:long', 'b:long'))).toEqual({
    added: ['b'],
    removed: [],
    retyped: [],
    reordered: false,
  });
  expect(columnDrift(cols('a:long', 'b:long'), cols('b:long'))?.reordered).toBe(false);
});
