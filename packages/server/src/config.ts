import path from 'node:path';

/** Everything the process reads from its environment, parsed once at start-up. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** When set, PostgreSQL is used instead of the embedded PGlite database. */
  databaseUrl: string | null;
  /** Master secret: derives the field-encryption, blind-index and token keys. */
  secret: string;
  /** Earlier secrets still accepted for decryption while `fengqiao rotate-keys` runs. */
  previousSecrets: string[];
  demo: boolean;
  demoPassword: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  sessionIdleMinutes: number;
  /** How long an API token's owner and roles may be taken from memory (0 = ask the database every time). */
  authCacheSeconds: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Failed sign-ins of one account, from every address together, that lock the account itself. */
  loginAccountMaxFailures: number;
  /** argon2id cost; defaults follow OWASP (19 MiB, 2 passes). */
  passwordMemoryKiB: number;
  passwordTimeCost: number;
  bodyLimitBytes: number;
  /** Scales the per-address rate limits of sign-in and the public endpoints (e.g. 10 behind a shared NAT). */
  rateLimitMultiplier: number;
  /** Which level's center owns each tier (Baiyin's rule by default). */
  tierLevels: Record<'general' | 'major' | 'difficult' | 'cross_region', 'city' | 'county' | 'township' | 'village'>;
  /** After this many returns (退单) a case goes to its dispatching center's ruling queue. */
  caseMaxReturns: number;
  /** Seconds between deadline scans (0 = off); the outbox worker polls every second. */
  deadlineScanSeconds: number;
  /** Connections each server keeps to PostgreSQL (and to the replica): servers × this must stay under max_connections. */
  databasePoolSize: number;
  /** A PostgreSQL streaming replica for lists, exports and figures (READ_DATABASE_URL); null = everything from the primary. */
  readDatabaseUrl: string | null;
  /** The replica is read while it is at most this many seconds behind the primary; after a write, the writer reads the primary this long. */
  replicaMaxLagSeconds: number;
  /** Delivered outbox messages are deleted this many days after delivery (the case's events keep the facts). */
  outboxRetentionDays: number;
  /** In-app messages are deleted this many days after they were sent, read or not (the case timeline keeps the facts). */
  notificationRetentionDays: number;
  /** On SIGTERM: how long the server says it is not ready, still serving, before it stops taking connections (a balancer's check interval or two). */
  shutdownDrainSeconds: number;
  /** Hours between retrainings of the category model from the closed cases (0 = only by hand). */
  triageRetrainHours: number;
  trustProxy: boolean;
  /** Secure cookies; on by default outside demo mode (serve behind HTTPS). */
  cookieSecure: boolean;
  /** Where attachment files are kept (default: <DATA_DIR>/attachments). */
  attachmentsDir: string;
  /** Largest photo or PDF accepted. */
  attachmentMaxBytes: number;
  /** Bytes one client address may store through the public upload in a (UTC) day. */
  publicUploadDailyBytes: number;
  /** Bytes of residents' uploads not yet named by a report, all addresses together; beyond it public uploads pause. */
  publicUploadUnlinkedMaxBytes: number;
  /** The address residents reach (printed in QR codes); when unset, the address of the request that prints them. */
  publicUrl: string | null;
  /** Optional map tile layer behind the grid map, e.g. 天地图's WMTS URL with {z}/{x}/{y}; none by default. */
  mapTileUrl: string | null;
  /** When set, /metrics answers only `Authorization: Bearer <this>`; otherwise only requests from loopback. */
  metricsToken: string | null;
  /** Open311: `realtime` answers a POST with the case number; `batch` answers a token that GET tokens/{token} resolves. */
  open311ServiceType: 'realtime' | 'batch';
  /** Open311 without a key: the public tracking page's fields of appeals and hazards; false: nothing without a key. */
  open311PublicReads: boolean;
  /** Open311 discovery: how to reach the operators and get an API key (shown to 311 client developers). */
  open311Contact: string | null;
  /** Where texts go: `log` records them only; `aliyun` or `tencent` sends them through that provider's SMS API. */
  sms: SmsConfig;
}

export interface SmsConfig {
  provider: 'log' | 'aliyun' | 'tencent';
  /** Alibaba Cloud AccessKey ID / Tencent Cloud SecretId, and its secret. */
  accessKeyId: string | null; accessKeySecret: string | null;
  /** The approved signature (签名) and, for Tencent, the SmsSdkAppId. */
  signName: string | null; appId: string | null;
  region: string | null;
  /** The provider's API address (its public one by default). */
  endpoint: string | null;
  /** Each text's approved template: {"case_accepted": {"id": "SMS_123", "params": ["number", "link"]}, …} */
  templates: Record<string, { id: string; params: string[] }>;
  ratePerSecond: number;
  /** The secret path segment of the delivery-receipt address given to the provider. */
  receiptToken: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** CLI flags, named like the environment variables they override. */
export type ConfigFlags = Partial<Record<
  'port' | 'host' | 'dataDir' | 'databaseUrl' | 'secret' | 'demoPassword' | 'logLevel', string
>> & { demo?: boolean };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parseConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const pick = (flag: string | undefined, name: string) => flag ?? (env[name] === '' ? undefined : env[name]);

  const int = (name: string, raw: string | undefined, def: number, min: number, max: number): number => {
    if (raw === undefined) return def;
    if (!/^\d+$/.test(raw.trim())) { problems.push(`${name} must be a whole number, got "${raw}"`); return def; }
    const n = Number(raw);
    if (n < min || n > max) problems.push(`${name} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
  const bool = (name: string, raw: string | undefined, def: boolean): boolean => {
    if (raw === undefined) return def;
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return def;
  };

  const demo = flags.demo ?? bool('FENGQIAO_DEMO', env.FENGQIAO_DEMO, false);
  const port = int('PORT', pick(flags.port, 'PORT'), 3000, 0, 65535);
  const host = pick(flags.host, 'HOST') ?? '127.0.0.1';
  const dataDir = path.resolve(pick(flags.dataDir, 'DATA_DIR') ?? './data');
  const databaseUrl = pick(flags.databaseUrl, 'DATABASE_URL') ?? null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  let secret = pick(flags.secret, 'FENGQIAO_SECRET') ?? '';
  if (!secret && !demo) {
    problems.push('FENGQIAO_SECRET is required outside demo mode (at least 32 characters; e.g. `openssl rand -base64 48`)');
  } else if (secret && secret.length < 32) {
    problems.push('FENGQIAO_SECRET must be at least 32 characters');
  }
  if (!secret && demo) secret = ''; // the caller derives a per-data-directory demo secret
  const previousSecrets = (env.FENGQIAO_PREVIOUS_SECRETS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of previousSecrets) if (s.length < 32) problems.push('every FENGQIAO_PREVIOUS_SECRETS entry must be at least 32 characters');

  const logLevel = (pick(flags.logLevel, 'LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const demoPassword = pick(flags.demoPassword, 'FENGQIAO_DEMO_PASSWORD') ?? null;
  if (demoPassword !== null && !isStrongPassword(demoPassword)) {
    problems.push(`FENGQIAO_DEMO_PASSWORD must have at least ${MIN_PASSWORD} characters with letters and digits`);
  }

  const tierLevels = { general: 'village', major: 'township', difficult: 'county', cross_region: 'city' } as Config['tierLevels'];
  if (env.CASE_TIER_LEVELS) {
    for (const pair of env.CASE_TIER_LEVELS.split(',')) {
      const [tier, level] = pair.split('=').map((x) => x.trim());
      if (!tier || !(tier in tierLevels) || !level || !['city', 'county', 'township', 'village'].includes(level)) {
        problems.push(`CASE_TIER_LEVELS must look like general=village,major=township,difficult=county,cross_region=city; got "${pair}"`);
      } else {
        tierLevels[tier as keyof Config['tierLevels']] = level as Config['tierLevels']['general'];
      }
    }
  }

  const config: Config = {
    port, host, dataDir, databaseUrl, secret, previousSecrets, demo, demoPassword, logLevel,
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', env.SESSION_IDLE_MINUTES, 30, 1, 24 * 60),
    authCacheSeconds: int('AUTH_CACHE_SECONDS', env.AUTH_CACHE_SECONDS, 5, 0, 300),
    sessionMaxHours: int('SESSION_MAX_HOURS', env.SESSION_MAX_HOURS, 12, 1, 24 * 30),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', env.LOGIN_MAX_FAILURES, 5, 1, 100),
    loginLockMinutes: int('LOGIN_LOCK_MINUTES', env.LOGIN_LOCK_MINUTES, 15, 1, 24 * 60),
    loginAccountMaxFailures: int('LOGIN_ACCOUNT_MAX_FAILURES', env.LOGIN_ACCOUNT_MAX_FAILURES, 50, 1, 100_000),
    passwordMemoryKiB: int('PASSWORD_MEMORY_KIB', env.PASSWORD_MEMORY_KIB, 19456, 1024, 1048576),
    passwordTimeCost: int('PASSWORD_TIME_COST', env.PASSWORD_TIME_COST, 2, 1, 20),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', env.BODY_LIMIT_BYTES, 1024 * 1024, 1024, 100 * 1024 * 1024),
    rateLimitMultiplier: int('RATE_LIMIT_MULTIPLIER', env.RATE_LIMIT_MULTIPLIER, 1, 1, 1_000_000),
    tierLevels,
    caseMaxReturns: int('CASE_MAX_RETURNS', env.CASE_MAX_RETURNS, 2, 0, 20),
    deadlineScanSeconds: int('DEADLINE_SCAN_SECONDS', env.DEADLINE_SCAN_SECONDS, 60, 0, 86400),
    databasePoolSize: int('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1, 500),
    readDatabaseUrl: env.READ_DATABASE_URL?.trim() || null,
    replicaMaxLagSeconds: int('REPLICA_MAX_LAG_SECONDS', env.REPLICA_MAX_LAG_SECONDS, 5, 1, 3600),
    outboxRetentionDays: int('OUTBOX_RETENTION_DAYS', env.OUTBOX_RETENTION_DAYS, 7, 1, 3650),
    notificationRetentionDays: int('NOTIFICATION_RETENTION_DAYS', env.NOTIFICATION_RETENTION_DAYS, 180, 1, 3650),
    shutdownDrainSeconds: int('SHUTDOWN_DRAIN_SECONDS', env.SHUTDOWN_DRAIN_SECONDS, 5, 0, 600),
    triageRetrainHours: int('TRIAGE_RETRAIN_HOURS', env.TRIAGE_RETRAIN_HOURS, 24, 0, 24 * 365),
    trustProxy: bool('TRUST_PROXY', env.TRUST_PROXY, false),
    cookieSecure: bool('COOKIE_SECURE', env.COOKIE_SECURE, !demo),
    attachmentsDir: path.resolve(env.ATTACHMENTS_DIR ?? path.join(dataDir, 'attachments')),
    attachmentMaxBytes: int('ATTACHMENT_MAX_BYTES', env.ATTACHMENT_MAX_BYTES, 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    publicUploadDailyBytes: int('PUBLIC_UPLOAD_DAILY_MIB', env.PUBLIC_UPLOAD_DAILY_MIB, 200, 1, 1_000_000) * 1024 * 1024,
    publicUploadUnlinkedMaxBytes: int('PUBLIC_UPLOAD_UNLINKED_MAX_MIB', env.PUBLIC_UPLOAD_UNLINKED_MAX_MIB, 2048, 1, 10_000_000) * 1024 * 1024,
    publicUrl: null,
    mapTileUrl: null,
    metricsToken: env.METRICS_TOKEN?.trim() || null,
    open311ServiceType: 'realtime',
    open311PublicReads: bool('OPEN311_PUBLIC_READS', env.OPEN311_PUBLIC_READS, true),
    open311Contact: env.OPEN311_CONTACT?.trim() || null,
    sms: parseSms(env, problems),
    ...overrides,
  };
  const url = (name: string, raw: string | undefined) => {
    if (!raw?.trim()) return null;
    if (!/^https?:\/\/[^\s]+$/.test(raw.trim())) { problems.push(`${name} must be an http(s) URL, got "${raw}"`); return null; }
    return raw.trim().replace(/\/$/, '');
  };
  if (!('publicUrl' in overrides)) config.publicUrl = url('PUBLIC_URL', env.PUBLIC_URL);
  if (!('mapTileUrl' in overrides)) config.mapTileUrl = url('MAP_TILE_URL', env.MAP_TILE_URL);
  if (!('open311ServiceType' in overrides) && env.OPEN311_SERVICE_TYPE) {
    const t = env.OPEN311_SERVICE_TYPE.trim();
    if (t === 'realtime' || t === 'batch') config.open311ServiceType = t;
    else problems.push(`OPEN311_SERVICE_TYPE must be realtime or batch, got "${t}"`);
  }
  if (config.readDatabaseUrl && !config.databaseUrl) problems.push('READ_DATABASE_URL needs DATABASE_URL: a replica follows a PostgreSQL primary');
  if (config.metricsToken && config.metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** Every text Fengqiao sends: a real gateway needs an approved template for each. */
export const SMS_TEMPLATE_NAMES = ['case_accepted', 'case_replied', 'case_reopened', 'mediation_session', 'mediation_session_mediator'];

function parseSms(env: NodeJS.ProcessEnv, problems: string[]): SmsConfig {
  const v = (name: string) => env[name]?.trim() || null;
  const provider = (v('SMS_PROVIDER') ?? 'log') as SmsConfig['provider'];
  const c: SmsConfig = {
    provider, accessKeyId: v('SMS_ACCESS_KEY_ID'), accessKeySecret: v('SMS_ACCESS_KEY_SECRET'), signName: v('SMS_SIGN_NAME'), appId: v('SMS_APP_ID'),
    region: v('SMS_REGION'), endpoint: v('SMS_ENDPOINT'), templates: {}, ratePerSecond: 20, receiptToken: v('SMS_RECEIPT_TOKEN'),
  };
  if (!['log', 'aliyun', 'tencent'].includes(provider)) { problems.push(`SMS_PROVIDER must be log, aliyun or tencent, got "${provider}"`); return { ...c, provider: 'log' }; }
  const rate = Number(v('SMS_RATE_PER_SECOND') ?? 20);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 10_000) problems.push('SMS_RATE_PER_SECOND must be a number from 1 to 10000');
  else c.ratePerSecond = rate;
  if (c.endpoint && !/^https?:\/\/\S+$/.test(c.endpoint)) problems.push('SMS_ENDPOINT must be an http(s) URL');
  if (c.receiptToken && c.receiptToken.length < 16) problems.push('SMS_RECEIPT_TOKEN must be at least 16 characters');
  if (provider === 'log') return c;
  for (const name of ['SMS_ACCESS_KEY_ID', 'SMS_ACCESS_KEY_SECRET', 'SMS_SIGN_NAME', ...(provider === 'tencent' ? ['SMS_APP_ID'] : [])]) {
    if (!v(name)) problems.push(`${name} is required with SMS_PROVIDER=${provider}`);
  }
  try {
    const t = JSON.parse(v('SMS_TEMPLATES') ?? '{}') as unknown;
    const ok = (x: unknown): x is { id: string; params: string[] } => !!x && typeof (x as { id: unknown }).id === 'string'
      && Array.isArray((x as { params: unknown }).params) && (x as { params: unknown[] }).params.every((p) => typeof p === 'string');
    for (const name of SMS_TEMPLATE_NAMES) {
      const entry = (t as Record<string, unknown>)?.[name];
      if (!ok(entry)) problems.push(`SMS_TEMPLATES needs ${name}: {"id": "<the provider's template>", "params": ["number", …]}`);
      else c.templates[name] = entry;
    }
  } catch {
    problems.push('SMS_TEMPLATES must be JSON');
  }
  return c;
}

export const MIN_PASSWORD = 10;
export function isStrongPassword(pw: string): boolean {
  return pw.length >= MIN_PASSWORD && /[A-Za-z]/.test(pw) && /\d/.test(pw);
}
