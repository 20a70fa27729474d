import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { Roles, formatMessage, type Role } from '@fengqiao/contracts';
import { remote, RemoteError, type Remote } from './remote.ts';
import {
  parseConfig, ConfigError, DataDirLockedError, startServer, resolveDemoSecrets, openConfiguredDatabase, createServices,
  seedDemo, isDemoSeeded, systemActor, assertPortFree, PortInUseError, rotateKeys, AppError, DEMO_ACCOUNTS, importDivisions, sheetDocument, readLabelledFile, ExamplesFileError, housekeeping, backup, restore, BackupError, type Config, type ConfigFlags, type DemoAccount,
} from '@fengqiao/server';

/** The CLI is a thin edge too: it parses arguments and calls the same services the HTTP API calls. */
const program = new Command('fengqiao')
  .description('Fengqiao (枫桥) — grassroots comprehensive governance center platform')
  .addOption(new Option('--port <port>', 'HTTP port (PORT, default 3000)'))
  .addOption(new Option('--host <host>', 'listen address (HOST, default 127.0.0.1)'))
  .addOption(new Option('--data-dir <dir>', 'embedded database and files (DATA_DIR, default ./data)'))
  .addOption(new Option('--database-url <url>', 'use PostgreSQL instead of the embedded database (DATABASE_URL)'))
  .addOption(new Option('--secret <secret>', 'master secret, 32+ characters (FENGQIAO_SECRET)'))
  .addOption(new Option('--demo', 'demo mode: seed a demo jurisdiction, allow a generated secret (FENGQIAO_DEMO)'))
  .addOption(new Option('--demo-password <password>', 'demo accounts’ password (FENGQIAO_DEMO_PASSWORD)'))
  .addOption(new Option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (LOG_LEVEL)'))
  .addOption(new Option('--server <url>', 'run user, import and locate commands through this running server’s API (FENGQIAO_SERVER)'))
  .addOption(new Option('--token <token>', 'an administrator’s API token for --server (FENGQIAO_TOKEN)'));

/** With --server (and a token), the command goes through the running server's API instead of opening the database. */
function viaServer(): Remote | null {
  const o = program.opts<{ server?: string; token?: string }>();
  const server = o.server ?? process.env.FENGQIAO_SERVER;
  if (!server) return null;
  const token = o.token ?? process.env.FENGQIAO_TOKEN;
  if (!token) throw new CliError('--server needs an API token: --token or FENGQIAO_TOKEN (create one in the console under API 令牌, as an administrator)');
  return remote(server, token);
}

function parsedConfig(): Config {
  const o = program.opts<ConfigFlags & { demo?: boolean }>();
  return parseConfig(process.env, { ...o, demo: o.demo ? true : undefined });
}
const config = (): Config => resolveDemoSecrets(parsedConfig());

async function withServices<T>(fn: (s: ReturnType<typeof createServices>, c: Config) => Promise<T>): Promise<T> {
  const c = config();
  const database = await openConfiguredDatabase(c);
  try {
    await database.migrate();
    const services = createServices(database.db, c);
    await services.initReferenceData();
    return await fn(services, c);
  } finally {
    await database.close();
  }
}

function printAccounts(accounts: DemoAccount[], password: string, fromEnv: boolean) {
  console.log('\nDemo accounts (演示账号):');
  for (const a of accounts) console.log(`  ${a.username.padEnd(12)} ${a.roles.join(',').padEnd(26)} ${a.organization}  — ${a.description}`);
  console.log(`  password: ${fromEnv ? '(FENGQIAO_DEMO_PASSWORD)' : password}\n`);
}

program.command('serve').description('migrate, (in demo mode) seed, and serve the API').action(async () => {
  const parsed = parsedConfig();
  await assertPortFree(parsed.host, parsed.port); // a busy port is said before the data directory is even touched
  const c = resolveDemoSecrets(parsed);
  const server = await startServer(c);
  const where = c.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${c.dataDir}`;
  console.log(`Fengqiao is running on ${where}`);
  console.log(`  console & API: ${server.url}/`);
  console.log(`  API reference: ${server.url}/docs`);
  if (c.demo) printAccounts(DEMO_ACCOUNTS, c.demoPassword!, Boolean(process.env.FENGQIAO_DEMO_PASSWORD));
  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    // SIGTERM (an orchestrator, a rolling restart): not-ready first so the balancer drains this server; Ctrl-C stops at once
    const drainSeconds = signal === 'SIGTERM' ? c.shutdownDrainSeconds : 0;
    server.app.log.info({ signal, drainSeconds }, 'shutting down');
    await server.close({ drainSeconds });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
});

program.command('migrate').description('apply database migrations').action(async () => {
  await withServices(async (_s, c) => console.log(`Migrations applied (${c.databaseUrl ? 'PostgreSQL' : 'PGlite'}).`));
});

program.command('seed-demo').description('seed the demo jurisdiction (长春市南关区) if it is not there yet').action(async () => {
  await withServices(async (s, c) => {
    if (await isDemoSeeded(s)) { console.log('The demo jurisdiction is already seeded.'); return; }
    const password = c.demoPassword ?? `Fq${crypto.randomBytes(6).toString('hex')}9`;
    printAccounts(await seedDemo(s, password), password, Boolean(process.env.FENGQIAO_DEMO_PASSWORD));
  });
});

program.command('purge').description('delete delivered outbox messages, old in-app messages and expired sessions now (every server also does it hourly)').action(async () => {
  await withServices(async (s) => {
    const n = await housekeeping(s);
    console.log(`Purged ${n.outbox} delivered outbox message(s) older than ${s.config.outboxRetentionDays} days, ${n.notifications} in-app message(s) older than ${s.config.notificationRetentionDays} days, ${n.sessions} expired session(s).`);
  });
});

program.command('backup <file>').description('write the database and the attachments to one file (PostgreSQL: live, with pg_dump; the embedded database: the server must be stopped)')
  .action(async (file: string) => {
    const c = parsedConfig();
    const m = await backup({ databaseUrl: c.databaseUrl, dataDir: c.dataDir, attachmentsDir: c.attachmentsDir }, path.resolve(file));
    console.log(`Backed up the ${m.database === 'postgres' ? 'PostgreSQL' : 'embedded'} database and ${m.files} attachment file(s) to ${file} (${(fs.statSync(file).size / 1048576).toFixed(1)} MiB). Keep FENGQIAO_SECRET with it: personal data stay encrypted.`);
  });

program.command('restore <file>').description('restore a backup into an empty database and attachments directory')
  .option('--force', 'replace what the database and the attachments directory hold')
  .action(async (file: string, o: { force?: boolean }) => {
    const c = parsedConfig();
    const m = await restore({ databaseUrl: c.databaseUrl, dataDir: c.dataDir, attachmentsDir: c.attachmentsDir }, path.resolve(file), { force: o.force });
    console.log(`Restored the backup of ${m.createdAt} (${m.files} attachment file(s)). Start the server with the FENGQIAO_SECRET of the backed-up installation.`);
  });

program.command('rotate-keys').description('re-encrypt personal data under the current FENGQIAO_SECRET').action(async () => {
  await withServices(async (s) => {
    const r = await rotateKeys(s.db, s.keys, s.audit);
    console.log(`Re-encrypted ${r.rotated} record(s) under key ${r.keyId}.`);
  });
});

const rollups = program.command('rollups').description('the command center’s rollups of the cases');
rollups.command('rebuild').description('recompute every rollup from the cases (writers wait while it runs)').action(async () => {
  await withServices(async (s) => {
    const started = Date.now();
    const n = await s.commandCenter.rollups.rebuild();
    console.log(`Rebuilt the rollups from ${n} case(s) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  });
});
rollups.command('catch-up').description('fold the queued changes into the rollups now').action(async () => {
  await withServices(async (s) => console.log(`Folded ${await s.commandCenter.rollups.catchUp()} queued change(s).`));
});

program.command('search-reindex').description('give full-text search words to every case that has none (cases from before search existed, bulk imports)')
  .action(async () => { await withServices(async (s) => console.log(`Indexed ${await s.cases.search.indexAll()} case(s).`)); });

const triage = program.command('triage').description('the category model that suggests a report’s category and handlers');
triage.command('train').description('train a new version and make it the active one: from the closed cases, or from a labelled file')
  .option('--file <file.jsonl>', 'JSON lines {"text", "label"}, the label a category code (e.g. A02) or id')
  .action(async (o: { file?: string }) => {
    await withServices(async (s) => {
      const started = Date.now();
      const r = o.file ? await s.triage.trainFromExamples(systemActor('cli'), readExamples(o.file)) : await s.triage.trainFromCases(systemActor('cli'));
      const e = r.evaluation;
      console.log(`Trained version ${r.version} on ${r.examples} example(s) of ${r.categories} categories in ${((Date.now() - started) / 1000).toFixed(1)} s; `
        + `on a tenth held out (${e.heldOut}): top-1 ${e.top1.toFixed(4)}, top-3 ${e.top3.toFixed(4)}, macro-F1 ${e.macroF1.toFixed(4)}. It is now active.`);
    });
  });
/** A labelled file, or the reason it cannot be read as one. */
function readExamples(file: string) {
  try { return readLabelledFile(file); } catch (e) { if (e instanceof ExamplesFileError) throw new CliError(e.message); throw e; }
}
triage.command('models').description('list the versions with their figures').action(async () => {
  await withServices(async (s) => {
    for (const m of (await s.triage.models(systemActor('cli'))).items) {
      console.log(`${m.active ? '*' : ' '} v${m.version}  ${m.createdAt}  ${m.source}  ${m.examples} examples  top-1 ${m.evaluation.top1.toFixed(4)}  top-3 ${m.evaluation.top3.toFixed(4)}  macro-F1 ${m.evaluation.macroF1.toFixed(4)}  feedback ${m.feedback.first}/${m.feedback.n} first`);
    }
  });
});
triage.command('activate <version>').description('make a version the active one').action(async (v: string) => {
  await withServices(async (s) => console.log(`Version ${(await s.triage.activate(systemActor('cli'), Number(v))).version} is now active.`));
});
const user = program.command('user').description('manage staff accounts');
user.command('create').description('create a staff account')
  .requiredOption('--username <name>', 'login name')
  .requiredOption('--name <displayName>', 'person’s name')
  .requiredOption('--org <id>', 'organisation id', (v) => Number(v))
  .requiredOption('--roles <roles>', `comma-separated: ${Roles.join(', ')}`)
  .option('--phone <phone>', 'mobile number')
  .option('--password <password>', 'initial password (generated and printed when omitted)')
  .action(async (o: { username: string; name: string; org: number; roles: string; phone?: string; password?: string }) => {
    const roles = o.roles.split(',').map((r) => r.trim()).filter(Boolean);
    const bad = roles.filter((r) => !(Roles as readonly string[]).includes(r));
    if (bad.length) throw new CliError(`unknown role(s): ${bad.join(', ')}; known: ${Roles.join(', ')}`);
    const password = o.password ?? `Fq${crypto.randomBytes(9).toString('base64url')}7`;
    const v = { username: o.username, displayName: o.name, organizationId: o.org, roles: roles as Role[], phone: o.phone ?? null, password };
    const server = viaServer();
    const u = server ? await server.createUser(v) : await withServices((s) => s.users.create(systemActor('cli'), v));
    console.log(`Created ${u.username} (${u.id}) with roles ${u.roles.join(', ')}.`);
    if (!o.password) console.log(`Initial password: ${password}`);
  });
user.command('reset-password').description('set a new password and end the user’s sessions')
  .argument('<username>')
  .option('--password <password>', 'new password (generated and printed when omitted)')
  .action(async (username: string, o: { password?: string }) => {
    const password = o.password ?? `Fq${crypto.randomBytes(9).toString('base64url')}7`;
    const server = viaServer();
    if (server) await server.resetPassword(username, password);
    else {
      await withServices(async (s) => {
        const found = (await s.users.list(systemActor('cli'), { q: username, limit: 500 })).items.find((u) => u.username === username);
        if (!found) throw new CliError(`no user named ${username}`);
        await s.users.resetPassword(systemActor('cli'), found.id, password);
      });
    }
    console.log(`Password of ${username} reset; their sessions have ended.`);
    if (!o.password) console.log(`New password: ${password}`);
  });

const imports = program.command('import').description('import official divisions, grid polygons and registry files');
imports.command('divisions').description('official divisions of a county (6 digits) or township (9 digits), from the national statistics codes')
  .argument('<code>', 'e.g. 220102 (长春市南关区) or 220102200 (幸福乡)')
  .action(async (code: string) => {
    await withServices(async (s) => {
      const r = await importDivisions(s.db, s.areas, systemActor('cli'), code);
      console.log(`Divisions of ${code}: ${r.created} area(s) created, ${r.existing} already present (${r.townships} township(s), ${r.villages} village(s)).`);
    });
  });
imports.command('grids').description('grid polygons from a GeoJSON FeatureCollection (properties: name, code, parentCode)')
  .argument('<file>')
  .option('--crs <crs>', 'coordinate system of the file: wgs84, gcj02 (高德/腾讯) or bd09 (百度)', 'wgs84')
  .option('--parent <code>', 'parent village or township code for features without parentCode')
  .option('--skip-invalid', 'import the valid features even when some are invalid')
  .action(async (file: string, o: { crs: string; parent?: string; skipInvalid?: boolean }) => {
    if (!['wgs84', 'gcj02', 'bd09'].includes(o.crs)) throw new CliError(`--crs must be wgs84, gcj02 or bd09, got ${o.crs}`);
    let parsed: unknown;
    try { parsed = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { throw new CliError(`${file}: not readable JSON (${(e as Error).message})`); }
    const q = { crs: o.crs as 'wgs84', parentCode: o.parent, skipInvalid: o.skipInvalid };
    const server = viaServer();
    const r = server ? await server.importGrids(fs.readFileSync(file), path.basename(file), q)
      : await withServices((s) => s.grids.importGrids(systemActor('cli'), parsed, q));
    for (const p of r.problems) console.error(`  feature #${p.index}${p.name ? ` (${p.name})` : ''}: ${p.reason}`);
    if (!r.committed) throw new CliError(`${r.problems.length} invalid feature(s) of ${r.features}; nothing imported (fix them, or pass --skip-invalid)`);
    console.log(`Grids: ${r.created} created, ${r.updated} updated, ${r.skipped} skipped of ${r.features} feature(s).`);
  });
imports.command('people').description('residents from a CSV or Excel (.xlsx) file; every row is checked, all or nothing by default')
  .argument('<file>')
  .option('--area <code>', 'area (grid or village code) for rows without 网格编码 or 场所编码')
  .option('--skip-invalid', 'import the valid rows even when some are invalid')
  .action(async (file: string, o: { area?: string; skipInvalid?: boolean }) => {
    const ext = path.extname(file).toLowerCase();
    if (ext !== '.csv' && ext !== '.xlsx') throw new CliError('the file must end in .csv or .xlsx');
    const format = ext === '.csv' ? 'csv' : 'xlsx';
    const server = viaServer();
    const r = server ? await server.importPeople(fs.readFileSync(file), path.basename(file), format, o) : await withServices(async (s) => {
      const actor = systemActor('cli');
      let areaId: number | undefined;
      if (o.area) {
        const found = (await s.areas.list(actor, { q: o.area, limit: 500 })).items.find((a) => a.code === o.area);
        if (!found) throw new CliError(`no area with code ${o.area}`);
        areaId = found.id;
      }
      return s.importPeople(actor, fs.readFileSync(file), format, { areaId, skipInvalid: o.skipInvalid });
    });
    for (const p of r.problems) console.error(`  row ${p.row}, ${p.field}: ${p.problem}`);
    if (!r.committed) throw new CliError(`${r.skipped} invalid row(s) of ${r.rows}; nothing imported (fix them, or pass --skip-invalid)`);
    console.log(`People: ${r.imported} imported, ${r.skipped} row(s) skipped of ${r.rows}.`);
  });
program.command('qr-sheet').description('printable QR sheets (A4, 12 per page) for the places of an area, as an HTML file')
  .argument('<areaCode>')
  .requiredOption('--base-url <url>', 'the address residents reach, e.g. https://fengqiao.example.gov.cn')
  .option('--out <file>', 'where to write (default: qr-<areaCode>.html)')
  .action(async (areaCode: string, o: { baseUrl: string; out?: string }) => {
    await withServices(async (s) => {
      const actor = systemActor('cli');
      const area = (await s.areas.list(actor, { q: areaCode, limit: 500 })).items.find((a) => a.code === areaCode);
      if (!area) throw new CliError(`no area with code ${areaCode}`);
      const { places, title, caption, truncated } = await s.qrSheets.placesOf(actor, { areaId: area.id, locale: 'zh-CN' });
      if (truncated) console.error(`the area has more active places than one sheet holds; the first ${places.length} are written`);
      const out = o.out ?? `qr-${areaCode}.html`;
      fs.writeFileSync(out, sheetDocument(places, o.baseUrl.replace(/\/$/, ''), title, caption));
      console.log(`${places.length} place code(s) written to ${out}.`);
    });
  });

program.command('locate').description('which grid contains a point')
  .argument('<lon>').argument('<lat>')
  .option('--crs <crs>', 'wgs84, gcj02 or bd09', 'wgs84')
  .action(async (lon: string, lat: string, o: { crs: string }) => {
    const x = Number(lon); const y = Number(lat);
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90) throw new CliError('lon and lat must be numbers in range');
    if (!['wgs84', 'gcj02', 'bd09'].includes(o.crs)) throw new CliError(`--crs must be wgs84, gcj02 or bd09, got ${o.crs}`);
    const server = viaServer();
    const r = server ? await server.locate(x, y, o.crs as 'wgs84') : await withServices((s) => s.grids.lookup(systemActor('cli'), x, y, o.crs as 'wgs84'));
    if (!r.grid) throw new CliError(`no grid contains ${r.point.lon}, ${r.point.lat} (WGS-84)`);
    console.log(`${r.grid.code ?? '-'}\t${r.grid.name}\t(WGS-84 ${r.point.lon.toFixed(6)}, ${r.point.lat.toFixed(6)})`);
  });

class CliError extends Error {}

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof DataDirLockedError) {
    console.error(`fengqiao: ${e.message}`);
    console.error('fengqiao: user, import and locate commands can go through the running server instead: add --server http://<its HOST>:<its PORT> --token <an administrator’s API token>');
  } else if (e instanceof ConfigError || e instanceof PortInUseError || e instanceof CliError || e instanceof RemoteError || e instanceof BackupError) {
    console.error(`fengqiao: ${e.message}`);
  } else if (e instanceof AppError) {
    console.error(`fengqiao: ${e.code}: ${formatMessage(process.env.LANG?.startsWith('en') ? 'en-US' : 'zh-CN', e.code, e.params)}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
