#!/usr/bin/env node
/*
 * Launcher of the adx-backup CLI. Runs the compiled entry (dist/) when it is there and at least as
 * new as every TypeScript source of lib/ and functions/, else the TypeScript sources through
 * ts-node's transpile-only register, so a fresh clone works after `npm ci` without a build.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const compiled = path.join(root, 'dist', 'lib', 'cli', 'main.js');

function newestSource(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function entry() {
  const sourcesNewest = Math.max(
    newestSource(path.join(root, 'lib')),
    newestSource(path.join(root, 'functions')),
  );
  if (fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= sourcesNewest) return compiled;
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  return path.join(root, 'lib', 'cli', 'main.ts');
}

require(entry())
  .runCli(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`adx-backup: ${error && error.message ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
