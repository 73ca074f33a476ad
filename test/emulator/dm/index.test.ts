import { CommandRegistry } from '../commands/registry';
import type { EmulatorCore } from '../core';
import { createIngestionEngine, registerIngestionCommands } from './index';

describe('registerIngestionCommands', () => {
  it('registers the DM commands (no database needed) and the engine-side ingestion commands', () => {
    const registry = new CommandRegistry();
    registerIngestionCommands(registry);
    const specs = registry.all().map((s) => ({
      pattern: s.pattern.join(' '),
      mutating: s.mutating,
      dataManagement: s.dataManagement ?? false,
      needsDatabase: s.needsDatabase ?? true,
    }));
    expect(specs).toEqual([
      { pattern: 'get ingestion resources', mutating: false, dataManagement: true, needsDatabase: false },
      { pattern: 'get kusto identity token', mutating: false, dataManagement: true, needsDatabase: false },
      { pattern: 'show ingestion failures', mutating: false, dataManagement: false, needsDatabase: true },
      { pattern: 'ingest into table $name', mutating: true, dataManagement: false, needsDatabase: true },
      {
        pattern: 'ingest async into table $name',
        mutating: true,
        dataManagement: false,
        needsDatabase: true,
      },
    ]);
    expect(registry.match(['show', 'ingestion', 'failures', '$node'])?.pattern).toEqual([
      'show',
      'ingestion',
      'failures',
    ]);
  });
});

describe('createIngestionEngine', () => {
  it('does not touch the core until it polls, and stops cleanly without having started', async () => {
    const engine = createIngestionEngine((): EmulatorCore => {
      throw new Error('core read too early');
    });
    await expect(engine.stop()).resolves.toBeUndefined();
  });
});
