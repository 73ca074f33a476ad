/**
 * The demo's storage lives in memory and goes away with it, so the reports it produced are copied
 * to a local folder before the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BlobClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { EmulatorHandle } from '../../test/emulator/index';

/** A new local folder for the demo's reports. */
export function reportFolder(): string {
  const folder = join(tmpdir(), `adx-backup-demo-${new Date().toISOString().replace(/[:.]/g, '')}`);
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** Writes `text` as `name` into `folder`; returns the path. */
export function keepText(folder: string, name: string, text: string): string {
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
}

/** Downloads `urls` from the emulator's Azurite into `folder`; returns the local paths. */
export async function keepReports(
  emu: EmulatorHandle,
  folder: string,
  urls: readonly string[],
): Promise<string[]> {
  const credential = new StorageSharedKeyCredential(emu.storage.account, emu.storage.accountKey);
  const kept: string[] = [];
  for (const url of urls) {
    const file = join(folder, decodeURIComponent(basename(new URL(url).pathname)));
    writeFileSync(file, await new BlobClient(url, credential).downloadToBuffer());
    kept.push(file);
  }
  return kept;
}
