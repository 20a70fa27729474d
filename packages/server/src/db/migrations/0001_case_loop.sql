CREATE TABLE "calendar_days" (
	"day" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_days_kind_check" CHECK ("calendar_days"."kind" in ('holiday','workday'))
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"actor_org_id" integer,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"note" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_number_counters" (
	"prefix" text PRIMARY KEY NOT NULL,
	"value" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"case_type" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"tier" text,
	"category_id" integer NOT NULL,
	"area_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"owning_org_id" integer NOT NULL,
	"assignee_org_id" integer,
	"dispatch_org_id" integer,
	"co_handler_org_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"description" text NOT NULL,
	"people_involved" integer DEFAULT 1 NOT NULL,
	"address" text,
	"lon" double precision,
	"lat" double precision,
	"reporter_name_enc" text,
	"reporter_phone_enc" text,
	"reporter_phone_bidx" text,
	"anonymous" boolean DEFAULT false NOT NULL,
	"tracking_secret_enc" text,
	"idempotency_key" text,
	"created_by" uuid,
	"return_count" integer DEFAULT 0 NOT NULL,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"final_assignment" boolean DEFAULT false NOT NULL,
	"resume_status" text,
	"suspended_at" timestamp with time zone,
	"leader_user_id" uuid,
	"supervision_level" text,
	"supervision_due_at" timestamp with time zone,
	"extension_request" jsonb,
	"merged_into_id" uuid,
	"accepted_at" timestamp with time zone,
	"contact_due_at" timestamp with time zone,
	"contacted_at" timestamp with time zone,
	"handle_due_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"reply_due_at" timestamp with time zone,
	"result_text" text,
	"visit_result" text,
	"closed_at" timestamp with time zone,
	"warnings" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_status_check" CHECK ("cases"."status" in ('pending_acceptance','rejected','pending_dispatch','pending_signoff','in_progress','suspended','ruling','replied','closed','archived','merged')),
	CONSTRAINT "cases_tier_check" CHECK ("cases"."tier" is null or "cases"."tier" in ('general','major','difficult','cross_region')),
	CONSTRAINT "cases_type_check" CHECK ("cases"."case_type" in ('appeal','hazard','dispute'))
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "categories_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"parent_id" integer,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"case_type" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "categories_case_type_check" CHECK ("categories"."case_type" in ('appeal','hazard','dispute'))
);
--> statement-breakpoint
CREATE TABLE "deadline_policies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deadline_policies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"category_id" integer,
	"tier" text,
	"contact_amount" integer NOT NULL,
	"contact_unit" text NOT NULL,
	"handle_amount" integer NOT NULL,
	"handle_unit" text NOT NULL,
	"reply_amount" integer NOT NULL,
	"reply_unit" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deadline_policies_units_check" CHECK ("deadline_policies"."contact_unit" in ('hours','working_days') and "deadline_policies"."handle_unit" in ('hours','working_days') and "deadline_policies"."reply_unit" in ('hours','working_days'))
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"organization_id" integer,
	"user_id" uuid,
	"case_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_at" timestamp with time zone,
	"last_error" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "outbox_status_check" CHECK ("outbox"."status" in ('pending','processing','done','failed'))
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sms_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"phone_enc" text NOT NULL,
	"body" text NOT NULL,
	"case_id" uuid,
	"provider" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_owning_org_id_organizations_id_fk" FOREIGN KEY ("owning_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_assignee_org_id_organizations_id_fk" FOREIGN KEY ("assignee_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_dispatch_org_id_organizations_id_fk" FOREIGN KEY ("dispatch_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_parent_id_categories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadline_policies" ADD CONSTRAINT "deadline_policies_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_case_seq_key" ON "case_events" USING btree ("case_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_number_key" ON "cases" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_idempotency_key" ON "cases" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "cases_area_path_idx" ON "cases" USING btree ("area_path" text_pattern_ops,"created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "cases_owner_status_idx" ON "cases" USING btree ("owning_org_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_assignee_status_idx" ON "cases" USING btree ("assignee_org_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_dispatch_status_idx" ON "cases" USING btree ("dispatch_org_id","status");--> statement-breakpoint
CREATE INDEX "cases_open_due_idx" ON "cases" USING btree ("handle_due_at") WHERE "cases"."status" in ('pending_acceptance','pending_dispatch','pending_signoff','in_progress','ruling','replied');--> statement-breakpoint
CREATE INDEX "cases_reporter_phone_idx" ON "cases" USING btree ("reporter_phone_bidx");--> statement-breakpoint
CREATE UNIQUE INDEX "categories_code_key" ON "categories" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "deadline_policies_scope_key" ON "deadline_policies" USING btree (coalesce("category_id", 0),coalesce("tier", ''));--> statement-breakpoint
CREATE INDEX "notifications_org_idx" ON "notifications" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("available_at","id") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_key" ON "outbox" USING btree ("dedupe_key");