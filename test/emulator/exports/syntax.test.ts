import { parseKusto, childrenOf, type SyntaxElement } from '../../../lib/kusto/language';
import { kindOf } from '../kql/syntax';
import { clause, leaves, propertyEntries, referencedTables, stringLiterals } from './syntax';

/** The body (top CustomNode) of a control command. */
function body(text: string): SyntaxElement {
  const find = (n: SyntaxElement): SyntaxElement | undefined =>
    kindOf(n) === 'CustomCommand'
      ? n
      : childrenOf(n)
          .map(find)
          .find((x) => x !== undefined);
  const command = find(parseKusto(text).root)!;
  return childrenOf(command).find((c) => !c.IsToken)!;
}

describe('export syntax readers', () => {
  it('finds the tables a query references, through pipes, joins, unions and table()', () => {
    const known = new Set(['Events', 'Users', 'Other']);
    expect(referencedTables('Events | where Value > 1', known)).toEqual(['Events']);
    expect(
      referencedTables("Events | join kind=inner (Users | project Id) on Id | union table('Other')", known),
    ).toEqual(['Events', 'Users', 'Other']);
    expect(referencedTables("['Events'] | extend x = strlen(Name)", known)).toEqual(['Events']);
    expect(referencedTables('print 1', known)).toEqual([]);
  });

  it('reads with-properties with names as written and decoded values', () => {
    const node = body(
      ".export async to table X with (sizeLimit=100, distribution='per_node', managedIdentity='system', forcedLatency=10m) <| T",
    );
    expect(propertyEntries(clause(node, 'with'))).toEqual([
      { name: 'sizeLimit', value: 100 },
      { name: 'distribution', value: 'per_node' },
      { name: 'managedIdentity', value: 'system' },
      { name: 'forcedLatency', value: 600_000 },
    ]);
  });

  it('flattens clauses to leaves and decodes obfuscated string literals', () => {
    const node = body(
      ".export to csv (h@'https://a.blob.core.windows.net/c;key==', 'https://b.blob.core.windows.net/d') <| T",
    );
    expect(stringLiterals(node)).toEqual([
      'https://a.blob.core.windows.net/c;key==',
      'https://b.blob.core.windows.net/d',
    ]);
    expect(
      leaves(node)
        .filter((l) => l.IsToken)
        .map((l) => String(l.Text))
        .slice(0, 4),
    ).toEqual(['export', 'to', 'csv', '(']);
  });
});
