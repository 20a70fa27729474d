ALTER TABLE "case_search" ADD COLUMN "orgs" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "case_search" ADD COLUMN "centers" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "triage_feedback" ADD COLUMN "pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "case_search_orgs_idx" ON "case_search" USING gin ("orgs");--> statement-breakpoint
CREATE INDEX "case_search_centers_idx" ON "case_search" USING gin ("centers") WHERE "case_search"."centers" <> '{}'::integer[];--> statement-breakpoint
-- Who sees a case other than through its area (the scope function's second half), for search: its assignee and
-- co-handlers that are departments or committees (fq_search_orgs), and its owner, assignee and co-handlers that
-- are centers whose area does not hold the case's (fq_search_centers: a district sending a case to the wrong
-- township's center).
CREATE OR REPLACE FUNCTION fq_search_orgs(owning integer, assignee integer, co integer[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(o.id ORDER BY o.id), '{}'::integer[]) FROM organizations o
  WHERE o.id = ANY (array[owning, assignee] || coalesce(co, '{}'::integer[])) AND o.kind <> 'center'
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION fq_search_centers(case_path text, owning integer, assignee integer, co integer[]) RETURNS integer[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(o.id ORDER BY o.id), '{}'::integer[]) FROM organizations o
  WHERE o.id = ANY (array[owning, assignee] || coalesce(co, '{}'::integer[])) AND o.kind = 'center'
    AND left(case_path, length(o.area_path)) <> o.area_path
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION fq_case_search_orgs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE case_search SET orgs = fq_search_orgs(NEW.owning_org_id, NEW.assignee_org_id, NEW.co_handler_org_ids),
    centers = fq_search_centers(NEW.area_path, NEW.owning_org_id, NEW.assignee_org_id, NEW.co_handler_org_ids)
  WHERE case_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER cases_search_orgs AFTER UPDATE OF owning_org_id, assignee_org_id, co_handler_org_ids ON cases FOR EACH ROW
  WHEN (OLD.owning_org_id IS DISTINCT FROM NEW.owning_org_id OR OLD.assignee_org_id IS DISTINCT FROM NEW.assignee_org_id
    OR OLD.co_handler_org_ids IS DISTINCT FROM NEW.co_handler_org_ids)
  EXECUTE FUNCTION fq_case_search_orgs();--> statement-breakpoint
-- A search's narrowing terms, beside the words: the case's China-time day, month and year, alone and for every
-- area on its path ('@d20261201', '@m202612', '@y2026', '@a2d20261201', '@a2m202612', …). A search asks the GIN
-- index for the words and a recent stretch of time in the caller's area at once — short posting lists — instead of
-- walking back through every case of the area.
CREATE OR REPLACE FUNCTION fq_search_facets(case_path text, at timestamptz) RETURNS tsvector
LANGUAGE sql IMMUTABLE AS $$
  SELECT array_to_tsvector(array(
    SELECT '@' || a || g || to_char(at AT TIME ZONE 'UTC' + interval '8 hours', f)
    FROM unnest(array[''] || array(SELECT 'a' || x FROM unnest(string_to_array(trim(BOTH '/' FROM case_path), '/')) x WHERE x <> '')) a,
      (VALUES ('d', 'YYYYMMDD'), ('m', 'YYYYMM'), ('y', 'YYYY')) t(g, f)))
$$;--> statement-breakpoint
UPDATE case_search s SET doc = s.doc || fq_search_facets(s.area_path, s.created_at),
  orgs = fq_search_orgs(c.owning_org_id, c.assignee_org_id, c.co_handler_org_ids),
  centers = fq_search_centers(c.area_path, c.owning_org_id, c.assignee_org_id, c.co_handler_org_ids)
FROM cases c WHERE c.id = s.case_id;
