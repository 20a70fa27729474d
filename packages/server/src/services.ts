import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createKeyRing } from './lib/personal-data.ts';
import { createPasswordHasher } from './lib/passwords.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createAreaService } from './modules/areas/areas.service.ts';
import { createOrganizationService } from './modules/organizations/organizations.service.ts';
import { createUserService } from './modules/users/users.service.ts';
import { createAuthService } from './modules/auth/auth.service.ts';
import { createTokenService } from './modules/tokens/tokens.service.ts';

/** All wiring in one place: each service gets exactly the dependencies it names. */
export function createServices(db: Db, config: Config, clock: Clock = systemClock) {
  const keys = createKeyRing(config.secret, config.previousSecrets);
  const hasher = createPasswordHasher(config.passwordMemoryKiB, config.passwordTimeCost);
  const audit = createAuditService({ db });
  const areas = createAreaService({ db, audit });
  const organizations = createOrganizationService({ db, audit });
  const users = createUserService({ db, audit, keys, hasher, clock });
  const auth = createAuthService({ db, config, keys, hasher, audit, clock });
  const tokens = createTokenService({ db, audit, keys, clock });
  return { db, config, clock, keys, hasher, audit, areas, organizations, users, auth, tokens };
}
export type Services = ReturnType<typeof createServices>;
