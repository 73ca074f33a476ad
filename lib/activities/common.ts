/** Helpers shared by the activities: recognising "does not exist" answers and safe error text. */
import { PermanentError } from '../errors';
import { redactError } from '../kusto/redact';

/**
 * True when Kusto answered that the named entity does not exist (`BadRequest_EntityNotFound`,
 * `...NotExist`, or the message saying so), which setup treats as "create it".
 */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof PermanentError)) return false;
  const code = error.info.serverCode ?? '';
  const text = `${error.info.serverMessage ?? ''} ${error.message}`;
  return /NotFound|NotExist/i.test(code) || /was not found|does not exist|could not be found/i.test(text);
}

/** An error as one line for results and logs, secrets masked. */
export function errorText(error: unknown): string {
  return redactError(error);
}
