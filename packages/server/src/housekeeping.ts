import type { Services } from './services.ts';

/**
 * Keeps the tables that only grow flat: delivered outbox messages after OUTBOX_RETENTION_DAYS, in-app messages
 * after NOTIFICATION_RETENTION_DAYS, sessions a month after they were last valid, and login throttles after a day.
 * Every server runs it hourly (deleting twice is harmless); `fengqiao purge` runs it once.
 */
export async function housekeeping(s: Services) {
  const now = s.clock.now();
  const sessions = await s.auth.purgeOldSessions();
  const outbox = await s.outbox.purgeDelivered(s.config.outboxRetentionDays, now);
  const notifications = await s.notifications.purgeOlderThan(s.config.notificationRetentionDays, now);
  return { sessions, outbox, notifications };
}
