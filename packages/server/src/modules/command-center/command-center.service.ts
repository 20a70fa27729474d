/** The command center: rollups kept as cases change, the figures read from them, rankings, early warnings. */
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { CategoryService } from '../categories/categories.service.ts';
import type { MediationService } from '../mediation/mediation.service.ts';
import type { MessageCatalog } from '../outbox/topics.ts';
import { createFigures } from './figures.ts';
import { createRollups } from './rollups.ts';
import { createWarnings } from './warnings.ts';
import { createRanking } from './ranking.ts';
import { createLive } from './live.ts';

export interface CommandCenterDeps {
  db: Db; clock: Clock; keys: KeyRing; audit: AuditService; catalog: MessageCatalog; categories: CategoryService; mediation: MediationService;
  onError?: (e: unknown) => void;
}

export function createCommandCenterService(deps: CommandCenterDeps) {
  const rollups = createRollups(deps);
  const figures = createFigures({ ...deps, rollups });
  const warnings = createWarnings({ ...deps, rollups });
  const ranking = createRanking({ ...deps, figures });
  const live = createLive({ ...deps, figures, warnings, rollups });
  return { rollups, warnings, ranking, live, figures: figures.figures, figureSet: figures.figureSet, sumOver: figures.sumOver };
}
export type CommandCenterService = ReturnType<typeof createCommandCenterService>;
