-- A department's or committee's own cases as narrowing terms of the search document, as 0027 did for areas: for
-- each organisation in case_search.orgs, '@o12' (all its cases) and its China-time day, month and year
-- ('@o12d20261201', '@o12m202612', '@o12y2026'). A department's search asks the GIN index for the words and a
-- recent stretch of its own cases at once, instead of intersecting the words with every case it ever had.
CREATE OR REPLACE FUNCTION fq_search_org_facets(orgs integer[], at timestamptz) RETURNS tsvector
LANGUAGE sql IMMUTABLE AS $$
  SELECT array_to_tsvector(array(
    SELECT '@o' || o || g || CASE WHEN f = '' THEN '' ELSE to_char(at AT TIME ZONE 'UTC' + interval '8 hours', f) END
    FROM unnest(orgs) o, (VALUES ('', ''), ('d', 'YYYYMMDD'), ('m', 'YYYYMM'), ('y', 'YYYY')) t(g, f)))
$$;--> statement-breakpoint
-- Kept with the row: a new document gets its organisations' terms; when the organisations change (the trigger
-- of 0027 on cases), the old ones are dropped and the new ones added. Words never start with '@': the
-- segmenter's text has no punctuation.
CREATE OR REPLACE FUNCTION fq_case_search_org_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.orgs IS NOT DISTINCT FROM NEW.orgs THEN RETURN NEW; END IF;
    NEW.doc := ts_delete(NEW.doc, array(SELECT l FROM unnest(tsvector_to_array(NEW.doc)) l WHERE l LIKE '@o%'));
  END IF;
  NEW.doc := NEW.doc || fq_search_org_facets(NEW.orgs, NEW.created_at);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER case_search_org_terms BEFORE INSERT OR UPDATE ON case_search FOR EACH ROW EXECUTE FUNCTION fq_case_search_org_terms();--> statement-breakpoint
UPDATE case_search SET doc = doc || fq_search_org_facets(orgs, created_at) WHERE orgs <> '{}'::integer[];
