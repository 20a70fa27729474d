/**
 * `npm test`: type-check, then the whole suite twice — on embedded PGlite, and on a throwaway
 * PostgreSQL server started here on a loopback port (initdb into a temporary directory, removed after).
 * Without PostgreSQL server binaries the second half is skipped and says so (FQ_REQUIRE_POSTGRES=1 makes that an error).
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPgBin, withPostgres } from './lib/throwaway-postgres.ts';

interface Counts { passed: number; failed: number; skipped: number }
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
/** Every failure of both halves, printed again at the very end so that the tail of a long log names them. */
const failures: string[] = [];
const extraArgs = process.argv.slice(2);
const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function run(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function vitest(label: string, env: NodeJS.ProcessEnv, flags: string[] = []): Promise<number> {
  const report = path.join(os.tmpdir(), `fengqiao-vitest-${process.pid}-${label}.json`);
  console.log(`\n━━ tests on ${label} ━━`);
  const code = await run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...flags, ...extraArgs], { env: { ...process.env, ...env } });
  try {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    total.passed += r.numPassedTests;
    total.failed += r.numFailedTests + (r.numFailedTestSuites ?? 0) * (r.numFailedTests ? 0 : 1);
    total.skipped += r.numPendingTests + r.numTodoTests;
    collectFailures(label, r);
    fs.rmSync(report, { force: true });
  } catch {
    total.failed += 1; // the runner died before reporting
  }
  return code;
}

interface JsonReport { testResults?: { name: string; message?: string; status?: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[] }
function collectFailures(label: string, r: JsonReport) {
  for (const file of r.testResults ?? []) {
    const where = path.relative(root, file.name);
    if (file.status === 'failed' && file.message) failures.push(`[${label}] ${where}: ${file.message}`);
    for (const t of file.assertionResults ?? []) {
      if (t.status !== 'failed') continue;
      const message = (t.failureMessages ?? []).join('\n').split('\n').slice(0, 30).join('\n');
      failures.push(`[${label}] ${where} › ${t.fullName}\n${message}`);
    }
  }
}

async function main() {
  console.log('━━ type-check ━━');
  const tsc = (await run(bin('tsc'), ['-p', 'tsconfig.json'])) || (await run(bin('tsc'), ['-p', 'packages/console/tsconfig.json']));
  if (tsc !== 0) { console.log('type-check failed'); total.failed += 1; }
  console.log('━━ build the web console ━━');
  const build = await run('npm', ['run', 'build:console', '--silent']);
  if (build !== 0) { console.log('console build failed'); total.failed += 1; }

  const codes: number[] = [tsc, build];
  codes.push(await vitest('PGlite (embedded)', { FQ_TEST_DATABASE_URL: '' }));

  const pgBin = findPgBin();
  if (pgBin) {
    codes.push(await withPostgres(pgBin, (url) => vitest('PostgreSQL (server)', { FQ_TEST_DATABASE_URL: url, FQ_PG_BIN: pgBin })));
  } else {
    const msg = 'PostgreSQL half SKIPPED: no PostgreSQL server binaries found (apt-get install postgresql, or set FQ_PG_BIN)';
    console.log(`\n━━ ${msg} ━━`);
    if (process.env.FQ_REQUIRE_POSTGRES === '1') { console.error('FQ_REQUIRE_POSTGRES=1: failing'); codes.push(1); total.failed += 1; }
  }
  // what times a user's wait (the resident page on a phone network) runs alone, on a machine the suite has left quiet
  codes.push(await vitest('timed, alone', { FQ_TEST_DATABASE_URL: '', FQ_QUIET_TESTS: '1' }, ['--passWithNoTests']));
  if (failures.length) console.log(`\n━━ failures ━━\n${failures.join('\n\n')}`);
  console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(codes.some((c) => c !== 0) || total.failed > 0 ? 1 : 0);
}

await main();
