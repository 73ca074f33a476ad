import { asText } from './text';

describe('asText', () => {
  it('renders strings as they are, objects as JSON, other scalars printed, nothing as empty', () => {
    expect([
      asText('a'),
      asText({ k: [1] }),
      asText(3),
      asText(true),
      asText(10n),
      asText(null),
      asText(undefined),
    ]).toEqual(['a', '{"k":[1]}', '3', 'true', '10', '', '']);
  });
});
