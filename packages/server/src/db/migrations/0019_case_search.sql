CREATE TABLE "case_search" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"area_path" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"doc" "tsvector" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_search" ADD CONSTRAINT "case_search_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_search_doc_idx" ON "case_search" USING gin ("doc");--> statement-breakpoint
CREATE INDEX "case_search_recent_idx" ON "case_search" USING btree ("created_at");