-- The search table's GIN indexes without a pending list. With one (PostgreSQL's default), new entries gather in
-- a list until it fills (4 MB); the insert that fills it merges it into the index while the other intakes wait —
-- at 500 reports a second, batches of intake statements stalled 150–250 ms every few seconds. Altered in place
-- (no rebuild); the entries already pending are merged now.
ALTER INDEX "case_search_doc_idx" SET (fastupdate = off);--> statement-breakpoint
ALTER INDEX "case_search_orgs_idx" SET (fastupdate = off);--> statement-breakpoint
ALTER INDEX "case_search_centers_idx" SET (fastupdate = off);--> statement-breakpoint
SELECT gin_clean_pending_list('case_search_doc_idx'::regclass);--> statement-breakpoint
SELECT gin_clean_pending_list('case_search_orgs_idx'::regclass);--> statement-breakpoint
SELECT gin_clean_pending_list('case_search_centers_idx'::regclass);
