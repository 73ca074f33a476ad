/**
 * An error the emulator answers with: HTTP status plus the OneApi body fields (reference §2.5, §4).
 * Thrown anywhere inside command handling; the server renders it.
 */
export class KustoError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    readonly type: string = 'Kusto.Data.Exceptions.KustoBadRequestException',
    readonly permanent: boolean = true,
  ) {
    super(message);
    this.name = 'KustoError';
  }

  /** 400 General_BadRequest (permanent): bad syntax, unsupported construct, invalid argument. */
  static badRequest(message: string): KustoError {
    return new KustoError(400, 'General_BadRequest', message);
  }

  /** 400 semantic error: an entity (table, column, export, operation) that does not exist. */
  static notFound(kind: string, name: string): KustoError {
    return new KustoError(
      400,
      'BadRequest_EntityNotFound',
      `${kind} '${name}' was not found.`,
      'Kusto.Data.Exceptions.EntityNotFoundException',
    );
  }

  /** 400 BadRequest_DatabaseNotExist. */
  static databaseNotFound(name: string): KustoError {
    return new KustoError(
      400,
      'BadRequest_DatabaseNotExist',
      `Database '${name}' was not found.`,
      'Kusto.Data.Exceptions.DatabaseNotFoundException',
    );
  }

  /** 400 BadRequest_EntityAlreadyExists. */
  static alreadyExists(kind: string, name: string): KustoError {
    return new KustoError(
      400,
      'BadRequest_EntityAlreadyExists',
      `${kind} '${name}' already exists.`,
      'Kusto.Data.Exceptions.EntityAlreadyExistsException',
    );
  }

  /** 429 throttling of a management command (reference §4). Not permanent. */
  static throttled(commandType: string): KustoError {
    return new KustoError(
      429,
      'TooManyRequests',
      `The management command was aborted due to throttling. Retrying after some backoff might succeed. CommandType: '${commandType}', Capacity: 1, Origin: 'CapacityPolicy/Emulator'`,
      'Kusto.DataNode.Exceptions.ControlCommandThrottledException',
      false,
    );
  }

  /** 400 LowMemoryCondition partial failure (transient), with the real message text (reference §4). */
  static lowMemory(): KustoError {
    return new KustoError(
      400,
      'LowMemoryCondition',
      "Query execution lacks memory resources to complete (80DA0007): Partial query failure: Low memory condition (E_LOW_MEMORY_CONDITION). (message: 'bad allocation (E_LOW_MEMORY_CONDITION)', details: '')",
      'Kusto.Data.Exceptions.KustoServicePartialQueryFailureLowMemoryConditionException',
      false,
    );
  }

  /** 403 Forbidden: the principal is not allowed (auth refused). */
  static forbidden(message: string): KustoError {
    return new KustoError(403, 'Forbidden', message, 'Kusto.Data.Exceptions.KustoRequestDeniedException');
  }
}
