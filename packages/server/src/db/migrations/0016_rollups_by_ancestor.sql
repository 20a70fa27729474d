DROP INDEX "case_rollups_path_idx";--> statement-breakpoint
DROP INDEX "case_rollups_org_idx";--> statement-breakpoint
CREATE INDEX "case_rollups_area_idx" ON "case_rollups" USING btree ("area_id","grain","dim","bucket");--> statement-breakpoint
-- Rollups now count each case in every area above its own: built again from the cases (queued; the worker folds them).
DELETE FROM case_rollups;
--> statement-breakpoint
DELETE FROM rollup_queue;
--> statement-breakpoint
INSERT INTO rollup_queue (sign, day, area_id, area_path, channel, category_id, tier, status, org_id, n, merged, rejected, open, overdue, supervised,
  contact_met, contact_missed, handle_met, handle_missed, replied, rated, satisfied, closed, closed_first, reopened, repeated, handle_working_days)
SELECT 1, (f).* FROM (SELECT fq_case_facts(c) AS f FROM cases c) x;
