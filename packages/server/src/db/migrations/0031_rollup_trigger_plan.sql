-- New cases' facts, as in 0014, with the facts computed in a subquery the planner keeps (OFFSET 0): flattened, the
-- function was inlined once for each of the 26 fields it expands to, and planning the statement took 13.5 ms
-- instead of 3 — paid again by every connection after each ANALYZE of the queue, when all of them re-plan at once.
CREATE OR REPLACE FUNCTION fq_cases_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_queue (sign, day, area_id, area_path, channel, category_id, tier, status, org_id, n, merged, rejected, open, overdue, supervised,
    contact_met, contact_missed, handle_met, handle_missed, replied, rated, satisfied, closed, closed_first, reopened, repeated, handle_working_days)
  SELECT 1, (f).* FROM (SELECT fq_case_facts(r) AS f FROM new_rows r OFFSET 0) x;
  INSERT INTO warning_queue (case_id, reason) SELECT id, 'new' FROM new_rows;
  RETURN NULL;
END
$$;
