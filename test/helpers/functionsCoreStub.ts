/** Jest maps `@azure/functions-core` here (jest.config.js); the stub itself lives in lib/runtime. */
export * from '../../lib/runtime/functionsCoreStub';
