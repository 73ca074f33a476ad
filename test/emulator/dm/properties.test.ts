import { formatDisplayName, parseIngestionOptions } from './properties';

describe('parseIngestionOptions', () => {
  it('reads what the Node SDK puts in AdditionalProperties', () => {
    const o = parseIngestionOptions({
      authorizationContext: 'ctx',
      tags: '["drop-by:run-7","ingest-by:day=2025-01-01"]',
      ingestIfNotExists: ['day=2025-01-01'],
      creationTime: '2025-01-01T00:00:00Z',
      format: 'parquet',
      ignoreFirstRecord: true,
    });
    expect(o).toEqual({
      format: 'parquet',
      ignoreFirstRecord: true,
      creationTime: Date.UTC(2025, 0, 1),
      tags: ['drop-by:run-7', 'ingest-by:day=2025-01-01'],
      ingestIfNotExists: ['day=2025-01-01'],
      mapping: undefined,
      mappingReference: undefined,
      authorizationContext: 'ctx',
    });
  });

  it('defaults to csv, matches names ignoring case, and accepts the documented string forms', () => {
    const o = parseIngestionOptions({
      Format: 'CSV',
      IgnoreFirstRecord: 'true',
      ingestIfNotExists: '["a","b"]',
    });
    expect([o.format, o.ignoreFirstRecord, o.ingestIfNotExists, o.tags]).toEqual([
      'csv',
      true,
      ['a', 'b'],
      [],
    ]);
    expect(parseIngestionOptions({}).format).toBe('csv');
    expect(parseIngestionOptions({ ingestIfNotExists: 'plain tag' }).ingestIfNotExists).toEqual([
      'plain tag',
    ]);
    expect(parseIngestionOptions({ ingestIfNotExists: '"quoted"' }).ingestIfNotExists).toEqual(['quoted']);
    expect(parseIngestionOptions({ mappingReference: 'M' }).mappingReference).toBe('M');
    expect(
      parseIngestionOptions({ ingestionMapping: '[{"Column":"a","Properties":{"Ordinal":"0"}}]' }).mapping,
    ).toEqual([{ column: 'a', ordinal: 0 }]);
  });

  it('rejects malformed properties with the documented codes', () => {
    const code = (bag: Record<string, unknown>): string => {
      try {
        parseIngestionOptions(bag);
        return 'none';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code({ format: 'avro' })).toBe('BadRequest_FormatNotSupported');
    expect(code({ creationTime: 'yesterday' })).toBe('BadRequest_MalformedIngestionProperty');
    expect(code({ tags: 'not json' })).toBe('BadRequest_MalformedIngestionProperty');
    expect(code({ tags: '[1]' })).toBe('BadRequest_MalformedIngestionProperty');
    expect(code({ ignoreFirstRecord: 'maybe' })).toBe('BadRequest_MalformedIngestionProperty');
    expect(code({ ingestionMapping: '[]', ingestionMappingReference: 'M' })).toBe(
      'BadRequest_DuplicateMapping',
    );
  });
});

describe('formatDisplayName', () => {
  it('spells formats as Kusto shows them', () => {
    expect(['csv', 'parquet', 'multijson', 'json'].map(formatDisplayName)).toEqual([
      'Csv',
      'Parquet',
      'MultiJson',
      'Json',
    ]);
  });
});
