import { kustoTypeOfClrName, kustoTypeOfDataType } from '../../../lib/kusto/clrTypes';

describe('kustoTypeOfClrName', () => {
  it('maps full .NET names exactly and nothing else', () => {
    expect(kustoTypeOfClrName('System.Int64')).toBe('long');
    expect(kustoTypeOfClrName('System.SByte')).toBe('bool');
    expect(kustoTypeOfClrName('System.Object')).toBe('dynamic');
    expect(kustoTypeOfClrName('System.Data.SqlTypes.SqlDecimal')).toBe('decimal');
    expect(kustoTypeOfClrName('System.Decimal')).toBe('decimal');
    expect(['Int64', 'system.int64', 'System.Weird', 'constructor'].map(kustoTypeOfClrName)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('kustoTypeOfDataType', () => {
  it('maps simple and System. names in any case, and lower-cases unknown names', () => {
    expect(kustoTypeOfDataType('Int64')).toBe('long');
    expect(kustoTypeOfDataType('System.Int32')).toBe('int');
    expect(kustoTypeOfDataType('double')).toBe('real');
    expect(kustoTypeOfDataType('SqlDecimal')).toBe('decimal');
    expect(kustoTypeOfDataType('TimeSpan')).toBe('timespan');
    expect(kustoTypeOfDataType('Weird')).toBe('weird');
    expect(kustoTypeOfDataType('constructor')).toBe('constructor');
  });
});
