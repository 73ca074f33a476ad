/**
 * A durable client for the local runner: the part of `DurableClient` the function app's HTTP
 * starters use (`getStatus`, `startNew`, the status payloads), so the CLI can call those same
 * handlers and the orchestrations they start run in this process. Instances live as long as the
 * process; there is no task hub.
 */
import { HttpResponse } from '@azure/functions';
import type { SetupDurableClient } from '../http/setup';
import type { LocalRunner } from './localRunner';
import type { RunResult } from './runnerTypes';

interface Instance {
  status: 'Running' | 'Completed' | 'Failed';
  readonly done: Promise<RunResult>;
}

/** Runs started instances on `runner`; `wait` resolves with an instance's outcome. */
export class LocalDurableClient implements SetupDurableClient {
  private readonly instances = new Map<string, Instance>();

  constructor(private readonly runner: LocalRunner) {}

  /** Like the real client, an unknown instance is an error mentioning HTTP 404. */
  getStatus(instanceId: string): Promise<{ runtimeStatus: string }> {
    const instance = this.instances.get(instanceId);
    if (!instance)
      return Promise.reject(new Error(`local durable client: HTTP 404: no instance ${instanceId}`));
    return Promise.resolve({ runtimeStatus: instance.status });
  }

  /** Starts the orchestration in the background and answers at once, as the host does. */
  startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string> {
    const instance: Instance = {
      status: 'Running',
      done: this.runner.run(name, options.input, { instanceId: options.instanceId }).then(
        (result) => {
          instance.status = result.status === 'Completed' ? 'Completed' : 'Failed';
          return result;
        },
        // The runner itself failed (e.g. an unregistered orchestrator): the instance failed.
        (error: unknown): RunResult => {
          instance.status = 'Failed';
          const message = error instanceof Error ? error.message : String(error);
          return {
            instanceId: options.instanceId,
            status: 'Failed',
            error: message,
            historyLength: 0,
            episodes: 0,
          };
        },
      ),
    };
    this.instances.set(options.instanceId, instance);
    return Promise.resolve(options.instanceId);
  }

  /** Resolves when the instance ends. */
  wait(instanceId: string): Promise<RunResult> {
    const instance = this.instances.get(instanceId);
    if (!instance) return Promise.reject(new Error(`local durable client: no instance ${instanceId}`));
    return instance.done;
  }

  createHttpManagementPayload(instanceId: string): { id: string; runsIn: string } {
    return { id: instanceId, runsIn: 'this process (adx-backup CLI)' };
  }

  createCheckStatusResponse(_request: unknown, instanceId: string): HttpResponse {
    return new HttpResponse({ status: 202, jsonBody: this.createHttpManagementPayload(instanceId) });
  }
}
