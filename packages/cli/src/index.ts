import crypto from 'node:crypto';
import { Command, Option } from 'commander';
import { Roles, formatMessage, type Role } from '@fengqiao/contracts';
import {
  parseConfig, ConfigError, DataDirLockedError, startServer, resolveDemoSecrets, openConfiguredDatabase, createServices,
  seedDemo, isDemoSeeded, systemActor, rotateKeys, AppError, DEMO_ACCOUNTS, type Config, type ConfigFlags, type DemoAccount,
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
  .addOption(new Option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (LOG_LEVEL)'));

function config(): Config {
  const o = program.opts<ConfigFlags & { demo?: boolean }>();
  return resolveDemoSecrets(parseConfig(process.env, { ...o, demo: o.demo ? true : undefined }));
}

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
  const c = config();
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
    server.app.log.info({ signal }, 'shutting down');
    await server.close();
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

program.command('rotate-keys').description('re-encrypt personal data under the current FENGQIAO_SECRET').action(async () => {
  await withServices(async (s) => {
    const r = await rotateKeys(s.db, s.keys, s.audit);
    console.log(`Re-encrypted ${r.rotated} record(s) under key ${r.keyId}.`);
  });
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
    await withServices(async (s) => {
      const u = await s.users.create(systemActor('cli'), {
        username: o.username, displayName: o.name, organizationId: o.org, roles: roles as Role[], phone: o.phone ?? null, password,
      });
      console.log(`Created ${u.username} (${u.id}) with roles ${u.roles.join(', ')}.`);
      if (!o.password) console.log(`Initial password: ${password}`);
    });
  });
user.command('reset-password').description('set a new password and end the user’s sessions')
  .argument('<username>')
  .option('--password <password>', 'new password (generated and printed when omitted)')
  .action(async (username: string, o: { password?: string }) => {
    const password = o.password ?? `Fq${crypto.randomBytes(9).toString('base64url')}7`;
    await withServices(async (s) => {
      const found = (await s.users.list(systemActor('cli'), { q: username, limit: 500 })).items.find((u) => u.username === username);
      if (!found) throw new CliError(`no user named ${username}`);
      await s.users.resetPassword(systemActor('cli'), found.id, password);
      console.log(`Password of ${username} reset; their sessions have ended.`);
      if (!o.password) console.log(`New password: ${password}`);
    });
  });

class CliError extends Error {}

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataDirLockedError || e instanceof CliError) {
    console.error(`fengqiao: ${e.message}`);
  } else if (e instanceof AppError) {
    console.error(`fengqiao: ${e.code}: ${formatMessage(process.env.LANG?.startsWith('en') ? 'en-US' : 'zh-CN', e.code, e.params)}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
