/**
 * Database- and cluster-level commands: `.show database [D] schema as json | as csl script`,
 * `.show databases` and `.show cluster`.
 */
import { createHash } from 'node:crypto';
import type { CommandInvocation } from './registry';
import type { ExactSpec } from './exact';
import { DATABASE_SCHEMA_JSON, DATABASE_SCHEMA_SCRIPT } from '../schemas';
import type { Database } from '../state';
import { requireDatabase, schemaVersion } from '../tables';
import type { Column, KType } from '../values';
import { childrenOf } from '../../../lib/kusto/language';
import { boolProperty, namesIn, withProperties } from './nodes';
import { databaseSchemaJson, databaseScript } from './schemaText';

const cols = (spec: [string, KType][]): Column[] => spec.map(([name, type]) => ({ name, type }));

/** `.show databases` (KQL `ShowClusterDatabases`). */
const DATABASES = cols([
  ['DatabaseName', 'string'],
  ['PersistentStorage', 'string'],
  ['Version', 'string'],
  ['IsCurrent', 'bool'],
  ['DatabaseAccessMode', 'string'],
  ['PrettyName', 'string'],
  ['ReservedSlot1', 'bool'],
  ['DatabaseId', 'guid'],
  ['InTransitionTo', 'string'],
]);

/** `.show cluster` (KQL `ShowCluster`). */
const CLUSTER = cols([
  ['NodeId', 'string'],
  ['Address', 'string'],
  ['Name', 'string'],
  ['StartTime', 'datetime'],
  ['IsAdmin', 'bool'],
  ['MachineTotalMemory', 'long'],
  ['MachineAvailableMemory', 'long'],
  ['ProcessorCount', 'int'],
  ['EnvironmentDescription', 'string'],
]);

/**
 * The database a `.show database [D] schema ...` command is about: the name inside the `$node`
 * (`.show database D schema as json`), else the request's database.
 */
function targetDatabase(inv: CommandInvocation): Database {
  // Only what precedes `as` can name the database (a trailing `with (...)` has names too).
  const parts = childrenOf(inv.body);
  const as = parts.findIndex((p) => p.IsToken && String(p.Text).toLowerCase() === 'as');
  const named = parts
    .slice(0, as < 0 ? parts.length : as)
    .filter((p) => !p.IsToken)
    .flatMap(namesIn)[0];
  return requireDatabase(inv.core, named ?? inv.database);
}

/** A stable guid for a database (derived from its name: the state has no database ids). */
function databaseId(name: string): string {
  const h = createHash('sha1').update(`database:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function schemaJson(inv: CommandInvocation): { columns: Column[]; rows: string[][] } {
  const db = targetDatabase(inv);
  const props = withProperties(inv.body);
  // With no entity option every kind is returned; with some, only those set to true.
  const any = props.size > 0;
  const opts = {
    tables: any ? boolProperty(props, 'tables') === true : true,
    externalTables: any ? boolProperty(props, 'externaltables') === true : true,
  };
  return { columns: DATABASE_SCHEMA_JSON, rows: [[databaseSchemaJson(db, schemaVersion(db), opts)]] };
}

function schemaScript(inv: CommandInvocation): { columns: Column[]; rows: string[][] } {
  const db = targetDatabase(inv);
  return { columns: DATABASE_SCHEMA_SCRIPT, rows: databaseScript(db).map((line) => [line]) };
}

/** The database and cluster commands. */
export const databaseCommands: ExactSpec[] = [
  { pattern: ['show', 'database', 'schema', 'as', 'json'], mutating: false, run: schemaJson },
  {
    pattern: ['show', 'database', '$node', 'as', 'json'],
    mutating: false,
    needsDatabase: false,
    run: schemaJson,
  },
  { pattern: ['show', 'database', 'schema', 'as', 'csl'], mutating: false, run: schemaScript },
  {
    pattern: ['show', 'database', '$node', 'as', 'csl'],
    mutating: false,
    needsDatabase: false,
    run: schemaScript,
  },
  {
    pattern: ['show', 'databases'],
    mutating: false,
    exact: true,
    needsDatabase: false,
    run(inv) {
      const rows = [...inv.core.state.databases.values()].map((db) => {
        const v = schemaVersion(db);
        return [
          db.name,
          '',
          `v${v.major}.${v.minor}`,
          db.name === inv.database,
          'ReadWrite',
          null,
          false,
          databaseId(db.name),
          '',
        ];
      });
      return { columns: DATABASES, rows };
    },
  },
  {
    pattern: ['show', 'cluster'],
    mutating: false,
    exact: true,
    needsDatabase: false,
    run() {
      // One node: the emulator itself (KCOPY counts nodes with `.show cluster | count`).
      const row = [
        'KEngine000000',
        'net.tcp://127.0.0.1:23107/',
        'KEngine000000',
        0,
        true,
        0,
        0,
        1,
        'Emulator',
      ];
      return { columns: CLUSTER, rows: [row] };
    },
  },
];
