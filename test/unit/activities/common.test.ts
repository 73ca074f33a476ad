import { PermanentError, TransientError } from '../../../lib/errors';
import { errorText, isNotFound } from '../../../lib/activities/common';
import { notFound } from '../../helpers/scriptedGateway';

test('isNotFound recognises the service saying an entity does not exist, and nothing else', () => {
  expect(isNotFound(notFound('External table', 'X'))).toBe(true);
  expect(isNotFound(new PermanentError("Entity ID 'X' of kind 'ExternalTable' was not found."))).toBe(true);
  expect(isNotFound(new PermanentError('x', { serverCode: 'BadRequest_DatabaseNotExist' }))).toBe(true);
  expect(isNotFound(new PermanentError('Forbidden (403): principal is not authorized'))).toBe(false);
  expect(isNotFound(new TransientError('was not found (but transient)'))).toBe(false);
  expect(isNotFound(new Error('was not found'))).toBe(false);
});

test('errorText masks secrets', () => {
  const text = errorText(new Error('failed at https://a.blob.core.windows.net/c/x?sv=1&sig=SECRETSIG'));
  expect(text).toContain('https://a.blob.core.windows.net/c/x');
  expect(text).not.toContain('SECRETSIG');
});
