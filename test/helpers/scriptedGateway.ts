/**
 * A `KustoGateway` for activity unit tests: answers each command by its operation name from a
 * script (a result table, an error to throw, or a function of the command) and records every
 * command it was sent.
 */
import { PermanentError } from '../../lib/errors';
import type { KustoGateway } from '../../lib/kusto/gateway';
import type { KustoCommand, ResultTable } from '../../lib/kusto/types';

/** What the gateway answers for one operation. */
export type Answer = ResultTable | Error | ((command: KustoCommand) => ResultTable);

/** The gateway plus what it was sent. */
export interface ScriptedGateway extends KustoGateway {
  readonly sent: KustoCommand[];
  /** Texts of the mutating commands sent. */
  mutating(): string[];
}

/** A not-found answer as the gateway classifies it (reference §4: `BadRequest_EntityNotFound`). */
export function notFound(kind: string, name: string): PermanentError {
  return new PermanentError(
    `Kusto show failed with HTTP 400 BadRequest_EntityNotFound: ${kind} '${name}' was not found.`,
    {
      serverCode: 'BadRequest_EntityNotFound',
      serverMessage: `${kind} '${name}' was not found.`,
      httpStatus: 400,
    },
  );
}

/** A gateway answering from `script` (by `KustoCommand.operation`); unknown operations fail the test. */
export function scriptedGateway(script: Record<string, Answer | Answer[]>): ScriptedGateway {
  const sent: KustoCommand[] = [];
  const queues = new Map<string, Answer[]>();
  for (const [op, answer] of Object.entries(script))
    queues.set(op, Array.isArray(answer) ? [...answer] : [answer]);
  return {
    sent,
    mutating: () => sent.filter((c) => c.mutating).map((c) => c.text),
    execute(_database, command) {
      sent.push(command);
      const queue = queues.get(command.operation);
      // The last answer repeats, so a script can give one answer for every call.
      const answer = queue && queue.length > 1 ? queue.shift() : queue?.[0];
      if (answer === undefined)
        return Promise.reject(new Error(`unscripted command ${command.operation}: ${command.text}`));
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(typeof answer === 'function' ? answer(command) : answer);
    },
    close: () => undefined,
  };
}
