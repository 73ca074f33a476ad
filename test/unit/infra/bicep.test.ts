/**
 * The deployment (azure.yaml + infra/*.bicep) checked as structure, since no Bicep compiler can be
 * installed here: every file must parse (test/helpers/bicep.ts), every setting lib/config.ts reads
 * (CONFIG_KEYS, read at run time) must be set on the Function App, every role assignment must use a
 * built-in role id from the table below at the expected scope, Kusto grants must use valid roles, no
 * key/SAS/secret may appear, the Event Grid subscription must target the artifact function and drop
 * CreateFile events, and the app must be Flex Consumption on Node 22. Each check returns its problems;
 * the last block feeds deliberately broken copies to the same checks to prove they can fail.
 *
 * Settings: all of CONFIG_KEYS, no optional allow-list. Every setting is set explicitly (to its
 * default when the operator gives none), so the deployed configuration is visible in one place and a
 * setting added to lib/config.ts fails this test until main.bicep and the Function App set it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS, loadConfig } from '../../../lib/config';
import { FunctionNames } from '../../../lib/names';
import type { BicepDecl, BicepResource, BicepValue } from '../../helpers/bicep';
import { allowedValues, declaration, literal, parseBicep, prop, resources, text } from '../../helpers/bicep';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Built-in role definition ids, from Microsoft's "Azure built-in roles" reference
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles, Storage and Monitor sections).
 */
const BUILT_IN_ROLES: Readonly<Record<string, string>> = {
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
};

const CONTAINER = 'Microsoft.Storage/storageAccounts/blobServices/containers';
const ACCOUNT = 'Microsoft.Storage/storageAccounts';

/**
 * Every Azure role assignment the deployment makes: role, scope resource type, principal parameter.
 * Exactly these (least privilege): an extra or a broader one fails the test.
 */
const EXPECTED_ASSIGNMENTS: readonly string[] = [
  `Storage Blob Data Contributor | ${CONTAINER} | functionPrincipalId`,
  `Storage Blob Data Contributor | ${CONTAINER} | clusterPrincipalId`,
  `Storage Blob Data Owner | ${ACCOUNT} | functionPrincipalId`,
  `Storage Queue Data Contributor | ${ACCOUNT} | functionPrincipalId`,
  `Storage Table Data Contributor | ${ACCOUNT} | functionPrincipalId`,
  `Monitoring Metrics Publisher | Microsoft.Insights/components | functionPrincipalId`,
];

/** Kusto database and cluster roles (Microsoft.Kusto principalAssignments `role`). */
const DATABASE_ROLES = ['Admin', 'Ingestor', 'Monitor', 'User', 'UnrestrictedViewer', 'Viewer'];
const CLUSTER_ROLES = ['AllDatabasesAdmin', 'AllDatabasesMonitor', 'AllDatabasesViewer'];

/** App settings Flex Consumption deprecates (runtime and deployment live in functionAppConfig). */
const FLEX_FORBIDDEN_SETTINGS = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'ENABLE_ORYX_BUILD',
];

/** Host settings the app must have (identity-based AzureWebJobsStorage, Entra-authenticated telemetry). */
const REQUIRED_HOST_SETTINGS = [
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
];

/**
 * Values the deployment computes at run time (module outputs), standing in when the defaults are
 * validated through loadConfig. A new setting whose value is not a parameter needs an entry here.
 */
const RUNTIME_PLACEHOLDERS: Readonly<Record<string, string>> = {
  ADX_BACKUP_CLUSTER_URI: 'https://mycluster.westeurope.kusto.windows.net',
  ADX_BACKUP_DATABASES: 'Sales,Telemetry',
  ADX_BACKUP_CONTAINERS:
    'https://stbk0abc.blob.core.windows.net/adx-backup,https://stbk1abc.blob.core.windows.net/adx-backup',
  ADX_BACKUP_EXPORT_MANAGED_IDENTITY: 'system',
  ADX_BACKUP_MANAGED_IDENTITY_CLIENT_ID: '00000000-0000-4000-8000-000000000001',
  ADX_BACKUP_CATALOG_TABLE_URL: 'https://stfnabc.table.core.windows.net/',
};

/** Texts that must not appear in any deployment file (keys, SAS, connection strings with a secret). */
const SECRET_PATTERNS: readonly RegExp[] = [
  /listKeys\s*\(/i,
  /listAccountSas\s*\(/i,
  /listServiceSas\s*\(/i,
  /AccountKey\s*=/i,
  /SharedAccessSignature/i,
  /SharedAccessKey/i,
  /DefaultEndpointsProtocol\s*=/i,
  /[?&;]sig=/i,
  /scriptUrlSasToken/i,
  /UseDevelopmentStorage/i,
];

// ---------------------------------------------------------------------------------------------
// Loading

type Files = ReadonlyMap<string, string>;

function deploymentFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const add = (rel: string): void => {
    files.set(rel, readFileSync(join(ROOT, rel), 'utf8'));
  };
  for (const dir of ['infra', 'infra/modules', 'infra/hooks']) {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      if (entry.isFile()) add(`${dir}/${entry.name}`);
    }
  }
  add('azure.yaml');
  add('host.json');
  return files;
}

function bicepFiles(files: Files): Map<string, BicepDecl[]> {
  const parsed = new Map<string, BicepDecl[]>();
  for (const [path, content] of files) {
    if (path.endsWith('.bicep')) parsed.set(path, parseBicep(content, path));
  }
  return parsed;
}

function mustGet<T>(map: ReadonlyMap<string, T>, key: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`missing ${key}`);
  return value;
}

const MAIN = 'infra/main.bicep';
const FUNCTION_APP = 'infra/modules/functionApp.bicep';
const BACKUP_STORAGE = 'infra/modules/backupStorage.bicep';
const ARTIFACT_EVENTS = 'infra/modules/artifactEvents.bicep';
const KUSTO_SOURCE = 'infra/modules/kustoSource.bicep';
const KUSTO_TARGET = 'infra/modules/kustoTarget.bicep';
const ALERTS = 'infra/modules/alerts.bicep';

function allResources(parsed: ReadonlyMap<string, BicepDecl[]>): (BicepResource & { file: string })[] {
  return [...parsed].flatMap(([file, decls]) => resources(decls).map((r) => ({ ...r, file })));
}

function moduleArg(decls: readonly BicepDecl[], moduleName: string, param: string): string | undefined {
  const mod = declaration(decls, 'module', moduleName);
  return text(prop(mod?.value, `params.${param}`));
}

function objectKeys(value: BicepValue | undefined): string[] {
  return value?.kind === 'object' ? value.props.map((p) => p.key) : [];
}

/** The Function App's app settings: name to value text, plus duplicate names. */
function appSettingsOf(parsed: ReadonlyMap<string, BicepDecl[]>): {
  settings: Map<string, string>;
  duplicates: string[];
  problems: string[];
} {
  const problems: string[] = [];
  const sites = allResources(parsed).filter((r) => r.type === 'Microsoft.Web/sites' && !r.existing);
  if (sites.length !== 1) problems.push(`expected exactly one Function App resource, found ${sites.length}`);
  const settings = new Map<string, string>();
  const duplicates: string[] = [];
  const list = prop(sites[0]?.body, 'properties.siteConfig.appSettings');
  if (list?.kind !== 'array') {
    problems.push('the Function App has no properties.siteConfig.appSettings array');
    return { settings, duplicates, problems };
  }
  for (const item of list.items) {
    const name = literal(prop(item, 'name'));
    const value = text(prop(item, 'value'));
    if (name === undefined || value === undefined) {
      problems.push('an app setting is not { name: <literal>, value: <value> }');
      continue;
    }
    if (settings.has(name)) duplicates.push(name);
    settings.set(name, value);
  }
  return { settings, duplicates, problems };
}

// ---------------------------------------------------------------------------------------------
// Checks: each returns the problems it found.

function checkAppSettings(parsed: ReadonlyMap<string, BicepDecl[]>, configKeys: readonly string[]): string[] {
  const { settings, duplicates, problems } = appSettingsOf(parsed);
  for (const name of duplicates) problems.push(`app setting ${name} is set twice`);
  const main = mustGet(parsed, MAIN);
  const wired = declaration(main, 'var', 'adxBackupSettings');
  const wiredKeys = objectKeys(wired?.value);
  for (const key of configKeys) {
    const value = settings.get(key);
    if (value === undefined)
      problems.push(`${key} (lib/config.ts) is not an app setting of the Function App`);
    else if (value !== `adxBackupSettings.${key}`) {
      problems.push(`${key} is set to '${value}' instead of adxBackupSettings.${key}`);
    }
    if (!wiredKeys.includes(key))
      problems.push(`${key} (lib/config.ts) is missing from main.bicep adxBackupSettings`);
  }
  for (const key of wiredKeys) {
    if (!configKeys.includes(key)) problems.push(`adxBackupSettings.${key} is not read by lib/config.ts`);
  }
  for (const name of settings.keys()) {
    if (name.startsWith('ADX_BACKUP_') && !configKeys.includes(name)) {
      problems.push(`app setting ${name} is not read by lib/config.ts`);
    }
  }
  if (moduleArg(main, 'functionApp', 'adxBackupSettings') !== 'adxBackupSettings') {
    problems.push('main.bicep does not pass adxBackupSettings to the functionApp module');
  }
  for (const name of REQUIRED_HOST_SETTINGS) {
    if (!settings.has(name)) problems.push(`host setting ${name} is missing`);
  }
  if (settings.get('AzureWebJobsStorage__credential') !== 'managedidentity') {
    problems.push("AzureWebJobsStorage__credential must be 'managedidentity'");
  }
  if (settings.get('AzureWebJobsStorage__clientId') !== 'identityClientId') {
    problems.push('AzureWebJobsStorage__clientId must be the user-assigned identity client id');
  }
  if (
    !/^ClientId=\$\{identityClientId\};Authorization=AAD$/.test(
      settings.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING') ?? '',
    )
  ) {
    problems.push('APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be ClientId=<identity>;Authorization=AAD');
  }
  if (settings.has('AzureWebJobsStorage'))
    problems.push('AzureWebJobsStorage must not be set (connection string)');
  for (const name of FLEX_FORBIDDEN_SETTINGS) {
    if (settings.has(name)) problems.push(`${name} must not be set on Flex Consumption`);
  }
  return problems;
}

/** A parameter's default as the string an app setting would carry. */
function paramDefault(decls: readonly BicepDecl[], name: string): string | undefined {
  const param = declaration(decls, 'param', name);
  const value = param?.value;
  if (!value) return undefined;
  if (value.kind === 'string' && !value.interpolated) return value.value;
  if (value.kind === 'expr' && /^(-?\d+|true|false)$/.test(value.text)) return value.text;
  return undefined;
}

/** Evaluates the simple forms main.bicep uses for settings; undefined for anything else. */
function evaluateSetting(decls: readonly BicepDecl[], value: BicepValue): string | undefined {
  if (value.kind === 'string') {
    let ok = true;
    const out = value.value.replace(/\$\{([A-Za-z_]\w*)\}/g, (_, name: string) => {
      const v = paramDefault(decls, name);
      if (v === undefined) ok = false;
      return v ?? '';
    });
    return ok ? out : undefined;
  }
  if (value.kind !== 'expr') return undefined;
  const t = value.text;
  if (/^[A-Za-z_]\w*$/.test(t)) return paramDefault(decls, t);
  const str = /^string\(([A-Za-z_]\w*)\)$/.exec(t);
  if (str) return paramDefault(decls, str[1]!);
  const bool = /^([A-Za-z_]\w*) \? '([^']*)' : '([^']*)'$/.exec(t);
  if (bool) {
    const v = paramDefault(decls, bool[1]!);
    return v === 'true' ? bool[2] : v === 'false' ? bool[3] : undefined;
  }
  return undefined;
}

function checkDefaultsLoad(
  parsed: ReadonlyMap<string, BicepDecl[]>,
  configKeys: readonly string[],
): string[] {
  const problems: string[] = [];
  const main = mustGet(parsed, MAIN);
  const wired = declaration(main, 'var', 'adxBackupSettings')?.value;
  const env: Record<string, string> = {};
  for (const key of configKeys) {
    const value = wired?.kind === 'object' ? wired.props.find((p) => p.key === key)?.value : undefined;
    const evaluated = value ? evaluateSetting(main, value) : undefined;
    const v = evaluated ?? RUNTIME_PLACEHOLDERS[key];
    if (v === undefined) {
      problems.push(
        `${key}: its value in main.bicep is neither a parameter default nor a known runtime value`,
      );
    } else {
      env[key] = v;
    }
  }
  try {
    loadConfig(env);
  } catch (error) {
    problems.push(`the deployment defaults do not load: ${(error as Error).message}`);
  }
  return problems;
}

function roleIdOf(decls: readonly BicepDecl[], expr: string): string | undefined {
  const m = /^subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', (.+)\)$/.exec(expr);
  if (!m) return undefined;
  const arg = m[1]!.trim();
  const quoted = /^'([0-9a-f-]{36})'$/.exec(arg);
  if (quoted) return quoted[1];
  const ref = /^roles\.(\w+)$/.exec(arg);
  if (!ref) return undefined;
  return literal(prop(declaration(decls, 'var', 'roles')?.value, ref[1]!));
}

function camel(roleName: string): string {
  const words = roleName.split(' ');
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1))).join('');
}

function checkRoleAssignments(parsed: ReadonlyMap<string, BicepDecl[]>): string[] {
  const problems: string[] = [];
  const nameById = new Map(Object.entries(BUILT_IN_ROLES).map(([n, id]) => [id, n]));
  const found: string[] = [];
  for (const [file, decls] of parsed) {
    const roles = declaration(decls, 'var', 'roles')?.value;
    if (roles?.kind === 'object') {
      for (const p of roles.props) {
        const id = literal(p.value);
        const role = id === undefined ? undefined : nameById.get(id);
        if (!role) problems.push(`${file}: roles.${p.key} = ${id ?? '?'} is not a known built-in role id`);
        else if (camel(role) !== p.key) problems.push(`${file}: roles.${p.key} holds the id of ${role}`);
      }
    }
    const symbols = new Map(resources(decls).map((r) => [r.symbol, r.type]));
    for (const r of resources(decls).filter((x) => x.type === 'Microsoft.Authorization/roleAssignments')) {
      const where = `${file}: ${r.symbol}`;
      const id = roleIdOf(decls, text(prop(r.body, 'properties.roleDefinitionId')) ?? '');
      const role = id === undefined ? undefined : nameById.get(id);
      if (!role) {
        problems.push(
          `${where}: roleDefinitionId is not subscriptionResourceId(roleDefinitions, <built-in role>)`,
        );
        continue;
      }
      const scopeSymbol = text(prop(r.body, 'scope'));
      const scopeType = scopeSymbol === undefined ? undefined : symbols.get(scopeSymbol);
      if (!scopeType)
        problems.push(`${where}: no resource scope (a subscription or resource group grant is too broad)`);
      const principal = text(prop(r.body, 'properties.principalId')) ?? '?';
      if (literal(prop(r.body, 'properties.principalType')) !== 'ServicePrincipal') {
        problems.push(`${where}: principalType must be ServicePrincipal (managed identities)`);
      }
      const name = text(prop(r.body, 'name')) ?? '';
      if (!name.startsWith('guid(') || !name.includes(principal) || !name.includes(scopeSymbol ?? '?')) {
        problems.push(`${where}: name must be guid(<scope>, <principal>, <role>)`);
      }
      found.push(`${role} | ${scopeType ?? '?'} | ${principal}`);
    }
  }
  const sorted = (xs: readonly string[]): string[] => [...xs].sort();
  if (JSON.stringify(sorted(found)) !== JSON.stringify(sorted(EXPECTED_ASSIGNMENTS))) {
    const extra = found.filter((f) => !EXPECTED_ASSIGNMENTS.includes(f));
    const missing = EXPECTED_ASSIGNMENTS.filter((e) => !found.includes(e));
    problems.push(
      `role assignments differ: unexpected [${extra.join('; ')}], missing [${missing.join('; ')}]`,
    );
  }
  const main = mustGet(parsed, MAIN);
  const backup = declaration(main, 'module', 'backupStorage');
  if (text(prop(backup?.value, 'params.functionPrincipalId')) !== 'identity.outputs.principalId') {
    problems.push('backupStorage.functionPrincipalId must be the Function App identity principal id');
  }
  if (text(prop(backup?.value, 'params.clusterPrincipalId')) !== 'sourceCluster.outputs.clusterPrincipalId') {
    problems.push("backupStorage.clusterPrincipalId must be the source cluster's export identity");
  }
  for (const mod of ['hostStorage', 'monitoring']) {
    if (moduleArg(main, mod, 'functionPrincipalId') !== 'identity.outputs.principalId') {
      problems.push(`${mod}.functionPrincipalId must be the Function App identity principal id`);
    }
  }
  return problems;
}

function checkKusto(parsed: ReadonlyMap<string, BicepDecl[]>): string[] {
  const problems: string[] = [];
  const dbType = 'Microsoft.Kusto/clusters/databases/principalAssignments';
  const clusterType = 'Microsoft.Kusto/clusters/principalAssignments';
  for (const [file, decls] of parsed) {
    for (const r of resources(decls).filter((x) => x.type === dbType || x.type === clusterType)) {
      const where = `${file}: ${r.symbol}`;
      if (literal(prop(r.body, 'properties.principalType')) !== 'App')
        problems.push(`${where}: principalType must be App`);
      if (text(prop(r.body, 'properties.principalId')) !== 'functionClientId') {
        problems.push(`${where}: principalId must be the identity's client (application) id`);
      }
      if (prop(r.body, 'properties.tenantId') === undefined) problems.push(`${where}: tenantId is missing`);
      const allowed = r.type === dbType ? DATABASE_ROLES : CLUSTER_ROLES;
      const roleValue = prop(r.body, 'properties.role');
      const roleLiteral = literal(roleValue);
      const roleParam = roleValue?.kind === 'expr' ? declaration(decls, 'param', roleValue.text) : undefined;
      const roles =
        roleLiteral !== undefined ? [roleLiteral] : roleParam ? allowedValues(roleParam) : undefined;
      if (!roles || roles.some((x) => !allowed.includes(x))) {
        problems.push(`${where}: role must be one of ${allowed.join(', ')} (got ${text(roleValue) ?? '?'})`);
      }
      if (r.type === clusterType && !(r.condition ?? '').includes("storageAuth == 'managed_identity'")) {
        problems.push(`${where}: a cluster-wide role is only for storageAuth == 'managed_identity'`);
      }
    }
  }
  const source = resources(mustGet(parsed, KUSTO_SOURCE)).filter((r) => r.type === dbType);
  if (source.length !== 1 || literal(prop(source[0]?.body, 'properties.role')) !== 'Admin') {
    problems.push('the source databases must get exactly one Admin assignment');
  } else if (!/\bin databases$/.test(source[0]?.loop ?? '')) {
    problems.push('the source Admin assignment must loop over every source database');
  }
  const targetDecls = mustGet(parsed, KUSTO_TARGET);
  const target = resources(targetDecls).filter((r) => r.type === dbType);
  const targetRole = text(prop(target[0]?.body, 'properties.role'));
  const targetParam = targetRole === undefined ? undefined : declaration(targetDecls, 'param', targetRole);
  const targetAllowed = targetParam ? (allowedValues(targetParam) ?? []) : [];
  if (target.length !== 1 || !targetAllowed.includes('Ingestor') || !targetAllowed.includes('Admin')) {
    problems.push(
      'the target databases must get one assignment whose role parameter allows Ingestor and Admin',
    );
  }
  const main = mustGet(parsed, MAIN);
  for (const mod of ['sourceCluster', 'targetCluster']) {
    if (moduleArg(main, mod, 'functionClientId') !== 'identity.outputs.clientId') {
      problems.push(
        `${mod}.functionClientId must be the identity's client id (Kusto principals are application ids)`,
      );
    }
  }
  if (moduleArg(main, 'targetCluster', 'role') !== 'targetDatabaseRole') {
    problems.push('targetCluster.role must be the targetDatabaseRole parameter');
  }
  return problems;
}

function checkNoSecrets(files: Files, parsed: ReadonlyMap<string, BicepDecl[]>): string[] {
  const problems: string[] = [];
  for (const [path, content] of files) {
    for (const pattern of SECRET_PATTERNS) {
      if (pattern.test(content)) problems.push(`${path}: contains ${pattern.source}`);
    }
  }
  for (const [file, decls] of parsed) {
    for (const d of decls) {
      if (d.keyword === 'param' && d.decorators.some((x) => x.startsWith('@secure('))) {
        problems.push(`${file}: parameter ${d.name} is @secure(): the deployment takes no secret`);
      }
      if (d.keyword !== 'output') continue;
      if (d.decorators.some((x) => x.startsWith('@secure(')))
        problems.push(`${file}: output ${d.name} is secure`);
      const value = text(d.value) ?? '';
      if (/connectionstring|key|secret|password|token/i.test(`${d.name} ${value}`)) {
        problems.push(`${file}: output ${d.name} looks like a secret`);
      }
    }
    for (const r of resources(decls)) {
      if (r.type === 'Microsoft.Storage/storageAccounts' && !r.existing) {
        if (text(prop(r.body, 'properties.allowSharedKeyAccess')) !== 'false') {
          problems.push(`${file}: ${r.symbol} must set allowSharedKeyAccess: false`);
        }
      }
      if (r.type === 'Microsoft.Insights/components' && !r.existing) {
        if (text(prop(r.body, 'properties.DisableLocalAuth')) !== 'true') {
          problems.push(`${file}: ${r.symbol} must set DisableLocalAuth: true`);
        }
      }
    }
  }
  return problems;
}

function checkEventGrid(parsed: ReadonlyMap<string, BicepDecl[]>): string[] {
  const problems: string[] = [];
  const decls = mustGet(parsed, ARTIFACT_EVENTS);
  const subs = resources(decls).filter(
    (r) => r.type === 'Microsoft.EventGrid/systemTopics/eventSubscriptions',
  );
  const sub = subs[0];
  if (subs.length !== 1 || !sub) return ['expected one system topic event subscription'];
  if (literal(prop(sub.body, 'properties.destination.endpointType')) !== 'AzureFunction') {
    problems.push('the destination must be an AzureFunction endpoint');
  }
  const fnParam = /\/functions\/\$\{(\w+)\}$/.exec(
    text(prop(sub.body, 'properties.destination.properties.resourceId')) ?? '',
  );
  if (!fnParam) problems.push('the destination resourceId must be <site id>/functions/<function name>');
  const main = mustGet(parsed, MAIN);
  // main.bicep passes the function name either as a literal or as a variable holding one.
  const passed = prop(declaration(main, 'module', 'artifactEvents')?.value, `params.${fnParam?.[1] ?? '?'}`);
  const fnName = literal(passed) ?? literal(declaration(main, 'var', text(passed) ?? '')?.value);
  if (fnName !== FunctionNames.artifactEvents) {
    problems.push(
      `the subscription targets function '${fnName ?? '?'}', not '${FunctionNames.artifactEvents}'`,
    );
  }
  const types = prop(sub.body, 'properties.filter.includedEventTypes');
  if (
    types?.kind !== 'array' ||
    types.items.length !== 1 ||
    literal(types.items[0]) !== 'Microsoft.Storage.BlobCreated'
  ) {
    problems.push('the subscription must include exactly Microsoft.Storage.BlobCreated');
  }
  if (
    text(prop(sub.body, 'properties.filter.subjectBeginsWith')) !==
    '/blobServices/default/containers/${containerName}/'
  ) {
    problems.push('subjectBeginsWith must be /blobServices/default/containers/<backup container>/');
  }
  const filters = prop(sub.body, 'properties.filter.advancedFilters');
  const excludesCreateFile =
    filters?.kind === 'array' &&
    filters.items.some((f) => {
      const values = prop(f, 'values');
      return (
        literal(prop(f, 'operatorType')) === 'StringNotIn' &&
        literal(prop(f, 'key')) === 'data.api' &&
        values?.kind === 'array' &&
        values.items.some((v) => literal(v) === 'CreateFile')
      );
    });
  if (!excludesCreateFile)
    problems.push("an advanced filter must exclude data.api 'CreateFile' (StringNotIn)");
  const art = declaration(main, 'module', 'artifactEvents');
  if (text(prop(art?.value, 'params.containerName')) !== 'backupStorage[i].outputs.containerName') {
    problems.push('the subscription must filter on the backup container of its own account');
  }
  const backup = mustGet(parsed, BACKUP_STORAGE);
  const topic = resources(backup).find((r) => r.type === 'Microsoft.EventGrid/systemTopics');
  if (
    literal(prop(topic?.body, 'properties.topicType')) !== 'Microsoft.Storage.StorageAccounts' ||
    text(prop(topic?.body, 'properties.source')) !== 'account.id'
  ) {
    problems.push('each backup account needs a Microsoft.Storage.StorageAccounts system topic on itself');
  }
  return problems;
}

function checkFlexConsumption(parsed: ReadonlyMap<string, BicepDecl[]>): string[] {
  const problems: string[] = [];
  const decls = mustGet(parsed, FUNCTION_APP);
  const plan = resources(decls).find((r) => r.type === 'Microsoft.Web/serverfarms');
  if (
    literal(prop(plan?.body, 'sku.name')) !== 'FC1' ||
    literal(prop(plan?.body, 'sku.tier')) !== 'FlexConsumption'
  ) {
    problems.push('the plan must be sku FC1 / FlexConsumption');
  }
  const site = resources(decls).find((r) => r.type === 'Microsoft.Web/sites' && !r.existing);
  if (literal(prop(site?.body, 'kind')) !== 'functionapp,linux')
    problems.push("the site kind must be 'functionapp,linux'");
  if (text(prop(site?.body, 'properties.serverFarmId')) !== `${plan?.symbol ?? '?'}.id`) {
    problems.push('the site must run on the Flex Consumption plan');
  }
  const runtime = prop(site?.body, 'properties.functionAppConfig.runtime');
  if (literal(prop(runtime, 'name')) !== 'node' || literal(prop(runtime, 'version')) !== '22') {
    problems.push('functionAppConfig.runtime must be node 22');
  }
  const storage = prop(site?.body, 'properties.functionAppConfig.deployment.storage');
  if (
    literal(prop(storage, 'type')) !== 'blobContainer' ||
    literal(prop(storage, 'authentication.type')) !== 'UserAssignedIdentity'
  ) {
    problems.push('the deployment storage must be a blob container reached with the user-assigned identity');
  }
  if (literal(prop(site?.body, 'identity.type')) !== 'UserAssigned')
    problems.push('the site must run as the user-assigned identity');
  return problems;
}

function checkBackupStorage(parsed: ReadonlyMap<string, BicepDecl[]>): string[] {
  const problems: string[] = [];
  const decls = mustGet(parsed, BACKUP_STORAGE);
  const skuParam = declaration(decls, 'param', 'sku');
  const skus = skuParam ? (allowedValues(skuParam) ?? []) : [];
  if (skus.length === 0 || skus.some((s) => !/^Standard_(RA)?GZ?RS$/.test(s))) {
    problems.push('backup accounts must only allow geo-redundant SKUs');
  }
  const list = resources(decls);
  const account = list.find((r) => r.type === ACCOUNT);
  if (text(prop(account?.body, 'properties.isHnsEnabled')) !== 'false') {
    problems.push('backup accounts must not use a hierarchical namespace (blob-endpoint events)');
  }
  const blob = list.find((r) => r.type === 'Microsoft.Storage/storageAccounts/blobServices');
  if (text(prop(blob?.body, 'properties.isVersioningEnabled')) !== 'true')
    problems.push('blob versioning must be on');
  if (text(prop(blob?.body, 'properties.deleteRetentionPolicy.enabled')) !== 'true')
    problems.push('blob soft delete must be on');
  const policy = list.find((r) => r.type === `${CONTAINER}/immutabilityPolicies`);
  if (!policy || !/immutabilityDays > 0/.test(policy.condition ?? '')) {
    problems.push('the immutability policy must exist and depend on the immutabilityDays parameter');
  }
  return problems;
}

function checkLatenessAlert(parsed: ReadonlyMap<string, BicepDecl[]>): string[] {
  const problems: string[] = [];
  const alert = resources(mustGet(parsed, ALERTS)).find((r) => r.type === 'Microsoft.Insights/metricAlerts');
  const criteria = prop(alert?.body, 'properties.criteria.allOf');
  const c = criteria?.kind === 'array' ? criteria.items[0] : undefined;
  if (
    literal(prop(c, 'metricName')) !== 'ContinuousExportMaxLatenessMinutes' ||
    literal(prop(c, 'metricNamespace')) !== 'Microsoft.Kusto/clusters' ||
    literal(prop(c, 'timeAggregation')) !== 'Maximum' ||
    text(prop(c, 'threshold')) !== 'latenessThresholdMinutes'
  ) {
    problems.push(
      'the alert must be Maximum ContinuousExportMaxLatenessMinutes over latenessThresholdMinutes',
    );
  }
  const main = mustGet(parsed, MAIN);
  if (moduleArg(main, 'alerts', 'latenessThresholdMinutes') !== 'latenessThresholdMinutes') {
    problems.push('the alert threshold must be the same parameter as ADX_BACKUP_LATENESS_THRESHOLD');
  }
  const setting = prop(declaration(main, 'var', 'adxBackupSettings')?.value, 'ADX_BACKUP_LATENESS_THRESHOLD');
  if (text(setting) !== '${latenessThresholdMinutes}m') {
    problems.push('ADX_BACKUP_LATENESS_THRESHOLD must be latenessThresholdMinutes minutes');
  }
  return problems;
}

function checkParametersFile(files: Files, parsed: ReadonlyMap<string, BicepDecl[]>): string[] {
  const problems: string[] = [];
  const main = mustGet(parsed, MAIN);
  const json = JSON.parse(mustGet(files, 'infra/main.parameters.json')) as {
    parameters: Record<string, { value: unknown }>;
  };
  const envNames: string[] = [];
  for (const [name, { value }] of Object.entries(json.parameters)) {
    const param = declaration(main, 'param', name);
    if (!param) {
      problems.push(`main.parameters.json sets ${name}, which main.bicep does not declare`);
      continue;
    }
    const m = /^\$\{([A-Z0-9_]+)(?:=(.*))?\}$/.exec(String(value));
    if (!m) {
      problems.push(`${name} must come from an azd environment variable`);
      continue;
    }
    envNames.push(m[1]!);
    const fallback = m[2];
    const bicepDefault = param.value ? (literal(param.value) ?? text(param.value)) : undefined;
    if (fallback !== undefined && bicepDefault !== undefined && fallback !== bicepDefault) {
      problems.push(
        `${name}: main.parameters.json defaults to '${fallback}', main.bicep to '${bicepDefault}'`,
      );
    }
    if (param.value === undefined && fallback !== undefined)
      problems.push(`${name} is required, yet has a fallback`);
  }
  for (const d of main.filter((x) => x.keyword === 'param')) {
    if (!(d.name in json.parameters))
      problems.push(`main.bicep parameter ${d.name} is not in main.parameters.json`);
  }
  if (json.parameters.environmentName?.value !== '${AZURE_ENV_NAME}')
    problems.push('environmentName must be ${AZURE_ENV_NAME}');
  if (json.parameters.location?.value !== '${AZURE_LOCATION}')
    problems.push('location must be ${AZURE_LOCATION}');
  // azd writes outputs into the environment, where they would override the operator's inputs.
  for (const d of main.filter((x) => x.keyword === 'output')) {
    if (d.name.startsWith('ADX_BACKUP_') && envNames.includes(d.name)) {
      problems.push(`output ${d.name} would overwrite the azd input of the same name`);
    }
  }
  return problems;
}

/** Mapping-only YAML (what azure.yaml uses): nested objects and scalars, comments ignored. */
function parseSimpleYaml(source: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const stack: { indent: number; node: Record<string, unknown> }[] = [{ indent: -1, node: root }];
  for (const raw of source.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    const m = /^([\w.-]+):\s*(.*)$/.exec(line.trim());
    if (!m) throw new Error(`unsupported YAML line: ${raw}`);
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1]!.node;
    if (m[2] === '') {
      const child: Record<string, unknown> = {};
      parent[m[1]!] = child;
      stack.push({ indent, node: child });
    } else {
      parent[m[1]!] = m[2]!.replace(/^'(.*)'$|^"(.*)"$/, '$1$2');
    }
  }
  return root;
}

function at(node: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (n, k) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[k] : undefined),
      node,
    );
}

function checkAzureYamlAndHost(files: Files, parsed: ReadonlyMap<string, BicepDecl[]>): string[] {
  const problems: string[] = [];
  const yaml = parseSimpleYaml(mustGet(files, 'azure.yaml'));
  const services = at(yaml, 'services') as Record<string, unknown> | undefined;
  const names = Object.keys(services ?? {});
  if (names.length !== 1) problems.push(`azure.yaml must have one service, found ${names.length}`);
  const name = names[0] ?? '?';
  const svc = services?.[name];
  if (at(svc, 'host') !== 'function') problems.push('the service must be host: function');
  if (!['ts', 'js'].includes(String(at(svc, 'language'))))
    problems.push('the service language must be ts or js');
  if (at(svc, 'project') !== '.') problems.push('the service project must be the repository root');
  if (
    at(svc, 'hooks.prepackage.posix.run') !== 'npm run build' ||
    at(svc, 'hooks.prepackage.windows.run') !== 'npm run build'
  ) {
    problems.push('the service must build with npm run build before packaging');
  }
  if (at(yaml, 'infra.path') !== 'infra' || at(yaml, 'infra.module') !== 'main')
    problems.push('azure.yaml must use infra/main.bicep');
  const main = mustGet(parsed, MAIN);
  if (literal(declaration(main, 'var', 'serviceName')?.value) !== name) {
    problems.push(`the Function App's azd-service-name tag must be the azure.yaml service '${name}'`);
  }
  const host = JSON.parse(mustGet(files, 'host.json')) as {
    extensions?: { durableTask?: { hubName?: string } };
  };
  if (host.extensions?.durableTask?.hubName !== '%ADX_BACKUP_TASK_HUB%') {
    problems.push('host.json durableTask.hubName must be %ADX_BACKUP_TASK_HUB%');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

function runAllChecks(files: Files, configKeys: readonly string[] = CONFIG_KEYS): string[] {
  const parsed = bicepFiles(files);
  return [
    ...checkAppSettings(parsed, configKeys),
    ...checkDefaultsLoad(parsed, configKeys),
    ...checkRoleAssignments(parsed),
    ...checkKusto(parsed),
    ...checkNoSecrets(files, parsed),
    ...checkEventGrid(parsed),
    ...checkFlexConsumption(parsed),
    ...checkBackupStorage(parsed),
    ...checkLatenessAlert(parsed),
    ...checkParametersFile(files, parsed),
    ...checkAzureYamlAndHost(files, parsed),
  ];
}

describe('deployment (azure.yaml + infra/*.bicep)', () => {
  const files = deploymentFiles();
  const parsed = bicepFiles(files);

  test('every Bicep file parses, and the expected modules exist', () => {
    expect([...parsed.keys()].sort()).toEqual(
      [
        MAIN,
        FUNCTION_APP,
        BACKUP_STORAGE,
        ARTIFACT_EVENTS,
        KUSTO_SOURCE,
        KUSTO_TARGET,
        ALERTS,
        'infra/modules/hostStorage.bicep',
        'infra/modules/identity.bicep',
        'infra/modules/monitoring.bicep',
      ].sort(),
    );
    const main = mustGet(parsed, MAIN);
    for (const mod of main.filter((d) => d.keyword === 'module')) {
      expect(files.has(`infra/${mod.type}`)).toBe(true);
    }
  });

  test('every setting lib/config.ts reads (CONFIG_KEYS, read now) is an app setting of the Function App', () => {
    expect(CONFIG_KEYS.length).toBeGreaterThan(0);
    expect(checkAppSettings(parsed, CONFIG_KEYS)).toEqual([]);
  });

  test('the deployment defaults pass loadConfig', () => {
    expect(checkDefaultsLoad(parsed, CONFIG_KEYS)).toEqual([]);
  });

  test('every role assignment uses a built-in role id from the table, at the expected scope', () => {
    expect(checkRoleAssignments(parsed)).toEqual([]);
  });

  test('Kusto principal assignments use valid roles for the Function App identity', () => {
    expect(checkKusto(parsed)).toEqual([]);
  });

  test('no key, SAS, connection string with a secret, or secure output anywhere', () => {
    expect(checkNoSecrets(files, parsed)).toEqual([]);
  });

  test('the BlobCreated subscription targets the artifact function and drops CreateFile events', () => {
    expect(checkEventGrid(parsed)).toEqual([]);
  });

  test('the Function App is Flex Consumption (FC1) on Node 22 with identity-based deployment storage', () => {
    expect(checkFlexConsumption(parsed)).toEqual([]);
  });

  test('backup storage is geo-redundant with versioning, soft delete and optional immutability', () => {
    expect(checkBackupStorage(parsed)).toEqual([]);
  });

  test('the lateness alert watches ContinuousExportMaxLatenessMinutes with the configured threshold', () => {
    expect(checkLatenessAlert(parsed)).toEqual([]);
  });

  test('main.parameters.json matches main.bicep (azd variables, same defaults, no output overwrites an input)', () => {
    expect(checkParametersFile(files, parsed)).toEqual([]);
  });

  test('azure.yaml is one Function App service built with npm run build; host.json reads the task hub setting', () => {
    expect(checkAzureYamlAndHost(files, parsed)).toEqual([]);
  });
});

describe('the deployment checks detect broken deployments', () => {
  const files = deploymentFiles();

  /** A copy of the files with one exact replacement (which must apply). */
  function broken(path: string, from: string | RegExp, to: string): Map<string, string> {
    const copy = new Map(files);
    const before = mustGet(copy, path);
    const after = before.replace(from, to);
    if (after === before) throw new Error(`replacement did not apply to ${path}`);
    copy.set(path, after);
    return copy;
  }

  const cases: readonly (readonly [string, () => Map<string, string>, RegExp])[] = [
    [
      'a CONFIG_KEYS setting missing from the app',
      () => broken(FUNCTION_APP, /\{\s*name: 'ADX_BACKUP_TASK_HUB'[^}]*\}/, ''),
      /ADX_BACKUP_TASK_HUB \(lib\/config\.ts\) is not an app setting/,
    ],
    [
      'a wrong role id under a right name',
      () =>
        broken(
          BACKUP_STORAGE,
          "storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'",
          "storageBlobDataContributor: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'",
        ),
      /roles\.storageBlobDataContributor holds the id of Storage Blob Data Reader/,
    ],
    [
      'a grant on the whole account instead of the container',
      () => broken(BACKUP_STORAGE, /(resource functionContainerAccess[\s\S]*?scope: )container/, '$1account'),
      /role assignments differ/,
    ],
    [
      'Owner on a backup container',
      () =>
        broken(
          BACKUP_STORAGE,
          /(var roles = \{)([\s\S]*?)(resource clusterContainerAccess[\s\S]*?roleDefinitionId: [^\n]*?)roles\.storageBlobDataContributor\)/,
          "$1\n  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'$2$3roles.storageBlobDataOwner)",
        ),
      /unexpected \[Storage Blob Data Owner \| Microsoft\.Storage\/storageAccounts\/blobServices\/containers/,
    ],
    [
      'an account key read in a module',
      () => broken(FUNCTION_APP, "value: 'managedidentity'", 'value: hostStorage.listKeys().keys[0].value'),
      /listKeys/,
    ],
    [
      'a connection string with an account key',
      () =>
        broken(
          FUNCTION_APP,
          "name: 'AzureWebJobsStorage__accountName'",
          "name: 'AzureWebJobsStorage'\n          value: 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=y'\n        }\n        {\n          name: 'AzureWebJobsStorage__accountName'",
        ),
      /AccountKey|AzureWebJobsStorage must not be set/,
    ],
    [
      'CreateFile no longer excluded',
      () => broken(ARTIFACT_EVENTS, "'CreateFile'", "'FlushWithClose'"),
      /exclude data\.api 'CreateFile'/,
    ],
    [
      'a subscription to another function',
      () =>
        broken(
          MAIN,
          "var artifactEventsFunctionName = 'artifactEvents'",
          "var artifactEventsFunctionName = 'blobEvents'",
        ),
      /targets function 'blobEvents'/,
    ],
    ['Node 20', () => broken(FUNCTION_APP, "version: '22'", "version: '20'"), /node 22/],
    ['a Consumption (Y1) plan', () => broken(FUNCTION_APP, "name: 'FC1'", "name: 'Y1'"), /FC1/],
    [
      'a Viewer instead of Admin on the source databases',
      () => broken(KUSTO_SOURCE, "role: 'Admin'", "role: 'Viewer'"),
      /exactly one Admin assignment/,
    ],
    [
      'an invalid Kusto role',
      () => broken(KUSTO_TARGET, "  'Ingestor'\n])", "  'Ingestor'\n  'Owner'\n])"),
      /role must be one of Admin/,
    ],
    [
      'a default that lib/config.ts rejects',
      () => broken(MAIN, "param exportInterval string = '5m'", "param exportInterval string = '5 minutes'"),
      /ADX_BACKUP_EXPORT_INTERVAL/,
    ],
    [
      'parameters.json and main.bicep disagreeing on a default',
      () =>
        broken(
          'infra/main.parameters.json',
          '${ADX_BACKUP_SETUP_PARALLELISM=8}',
          '${ADX_BACKUP_SETUP_PARALLELISM=16}',
        ),
      /setupParallelism: main\.parameters\.json defaults to '16'/,
    ],
    [
      'a secure output',
      () =>
        broken(
          MAIN,
          'output AZURE_LOCATION string = location',
          '@secure()\noutput AZURE_LOCATION string = location',
        ),
      /output AZURE_LOCATION is secure/,
    ],
    [
      'shared-key access left on',
      () =>
        broken(
          'infra/modules/hostStorage.bicep',
          'allowSharedKeyAccess: false',
          'allowSharedKeyAccess: true',
        ),
      /allowSharedKeyAccess: false/,
    ],
    [
      'a task hub host.json does not read from the app setting',
      () => broken('host.json', '"%ADX_BACKUP_TASK_HUB%"', '"AdxBackupHub"'),
      /hubName must be %ADX_BACKUP_TASK_HUB%/,
    ],
  ];

  test.each(cases)('%s', (_label, make, expected) => {
    const problems = runAllChecks(make());
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });

  test('a setting newly added to lib/config.ts fails until the deployment sets it', () => {
    const problems = runAllChecks(files, [...CONFIG_KEYS, 'ADX_BACKUP_SOMETHING_NEW']);
    expect(problems).toEqual(
      expect.arrayContaining([
        'ADX_BACKUP_SOMETHING_NEW (lib/config.ts) is not an app setting of the Function App',
        'ADX_BACKUP_SOMETHING_NEW (lib/config.ts) is missing from main.bicep adxBackupSettings',
      ]),
    );
  });

  test('a malformed Bicep file does not parse', () => {
    const copy = new Map(files);
    copy.set(ALERTS, mustGet(files, ALERTS).replace("location: 'global'", "location: 'global"));
    expect(() => runAllChecks(copy)).toThrow(/alerts\.bicep:\d+: new line in a string/);
  });

  test('the unmodified deployment passes every check', () => {
    expect(runAllChecks(files)).toEqual([]);
  });
});
