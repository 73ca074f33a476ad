/**
 * `adx-backup plan`: every command a setup of the database would send, one per line on stdout,
 * without changing anything (reads go to the cluster, mutating commands are only printed).
 */
import { ConfigError } from '../../errors';
import { planSetup } from '../../planning/setupPlan';
import type { CatalogStore } from '../../storage/catalog';
import type { CommandContext } from '../context';
import { note, printResult } from '../context';
import type { SetupOptions } from './setupInput';
import { setupInputFromOptions } from './setupInput';

/** Runs the subcommand; resolves with the exit code. */
export async function planCommand(ctx: CommandContext, opts: SetupOptions): Promise<number> {
  const input = setupInputFromOptions(opts, ctx.config);
  const deps = ctx.deps();
  // The catalog says which historical exports are already complete; without one, all are planned.
  let catalog: CatalogStore | undefined;
  try {
    catalog = deps.catalog();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    note(ctx, '# no catalog configured: historical exports are planned as if none had run');
  }
  const plan = await planSetup(
    { gateway: deps.gatewayFor(input.clusterUri), ...(catalog ? { catalog } : {}) },
    input,
  );
  const lines = plan.commands.map((c) => c.text.replace(/\s*\n\s*/g, ' '));
  printResult(ctx, plan, lines.join('\n'));
  const changing = plan.commands.filter((c) => c.mutating).length;
  note(ctx, `# ${plan.commands.length} commands, ${changing} of them change the cluster (none was sent)`);
  for (const n of plan.notes) note(ctx, `# ${n}`);
  return 0;
}
