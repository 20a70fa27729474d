ALTER TABLE "case_rollups" DROP CONSTRAINT "case_rollups_grain_check";--> statement-breakpoint
ALTER TABLE "case_rollups" ADD CONSTRAINT "case_rollups_grain_check" CHECK ("case_rollups"."grain" in ('day','month','all'));--> statement-breakpoint
-- The all-time rows of what is already folded: the month rows added up (what is open now reads one row per area and value).
INSERT INTO case_rollups (grain, dim, bucket, area_id, val, area_path, n, merged, rejected, open, overdue, supervised, contact_met, contact_missed,
  handle_met, handle_missed, replied, rated, satisfied, closed, closed_first, reopened, repeated, handle_working_days)
SELECT 'all', dim, date '1970-01-01', area_id, val, max(area_path), sum(n), sum(merged), sum(rejected), sum(open), sum(overdue), sum(supervised),
  sum(contact_met), sum(contact_missed), sum(handle_met), sum(handle_missed), sum(replied), sum(rated), sum(satisfied), sum(closed), sum(closed_first),
  sum(reopened), sum(repeated), sum(handle_working_days)
FROM case_rollups WHERE grain = 'month' GROUP BY dim, area_id, val;
