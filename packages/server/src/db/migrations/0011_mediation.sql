CREATE TABLE "mediation_agreement_counters" (
	"organization_id" integer NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "mediation_agreement_counters_organization_id_year_pk" PRIMARY KEY("organization_id","year")
);
--> statement-breakpoint
CREATE TABLE "mediation_parties" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mediation_parties_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" uuid NOT NULL,
	"role" text NOT NULL,
	"kind" text NOT NULL,
	"name_enc" text NOT NULL,
	"id_type" text,
	"id_number_enc" text,
	"id_number_bidx" text,
	"phone_enc" text,
	"address_enc" text,
	"agent_name_enc" text,
	"agent_phone_enc" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mediation_rooms" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mediation_rooms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"organization_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"capacity" integer DEFAULT 10 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mediation_sessions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mediation_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"room_id" integer,
	"online" boolean DEFAULT false NOT NULL,
	"mediator_ids" integer[] NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"attendance" text[] DEFAULT '{}'::text[] NOT NULL,
	"minutes_enc" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mediation_sessions_time_check" CHECK ("mediation_sessions"."ends_at" > "mediation_sessions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "mediations" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"area_path" text NOT NULL,
	"committee_org_id" integer NOT NULL,
	"status" text NOT NULL,
	"dispute_type" text NOT NULL,
	"amount_fen" bigint,
	"people_involved" integer DEFAULT 2 NOT NULL,
	"risk_level" text DEFAULT 'low' NOT NULL,
	"mode" text DEFAULT 'people' NOT NULL,
	"source" text NOT NULL,
	"source_ref" text,
	"lead_mediator_id" integer,
	"team_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"due_at" timestamp with time zone,
	"assessment" jsonb,
	"outcome" text,
	"outcome_reason" text,
	"agreement_no" text,
	"agreement_terms" text,
	"perform_by" date,
	"agreed_at" timestamp with time zone,
	"performance" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"confirmation" jsonb,
	"referral" jsonb,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mediations_status_check" CHECK ("mediations"."status" in ('applied','declined','accepted','in_mediation','agreed','partial','failed','terminated','closed'))
);
--> statement-breakpoint
CREATE TABLE "mediators" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mediators_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"user_id" uuid,
	"organization_id" integer,
	"affiliation" text NOT NULL,
	"specialties" text[] NOT NULL,
	"area_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"certificate" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sweep_reports" (
	"sweep_id" integer NOT NULL,
	"grid_id" integer NOT NULL,
	"zero" boolean NOT NULL,
	"case_ids" uuid[] NOT NULL,
	"note" text,
	"reported_by" uuid,
	"reported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sweep_reports_sweep_id_grid_id_pk" PRIMARY KEY("sweep_id","grid_id")
);
--> statement-breakpoint
CREATE TABLE "sweeps" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sweeps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organization_id" integer,
	"area_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"due_on" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mediation_agreement_counters" ADD CONSTRAINT "mediation_agreement_counters_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_parties" ADD CONSTRAINT "mediation_parties_case_id_mediations_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."mediations"("case_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_rooms" ADD CONSTRAINT "mediation_rooms_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_sessions" ADD CONSTRAINT "mediation_sessions_case_id_mediations_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."mediations"("case_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediation_sessions" ADD CONSTRAINT "mediation_sessions_room_id_mediation_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."mediation_rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediations" ADD CONSTRAINT "mediations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediations" ADD CONSTRAINT "mediations_committee_org_id_organizations_id_fk" FOREIGN KEY ("committee_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediations" ADD CONSTRAINT "mediations_lead_mediator_id_mediators_id_fk" FOREIGN KEY ("lead_mediator_id") REFERENCES "public"."mediators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediators" ADD CONSTRAINT "mediators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediators" ADD CONSTRAINT "mediators_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mediators" ADD CONSTRAINT "mediators_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sweep_reports" ADD CONSTRAINT "sweep_reports_sweep_id_sweeps_id_fk" FOREIGN KEY ("sweep_id") REFERENCES "public"."sweeps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sweep_reports" ADD CONSTRAINT "sweep_reports_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sweeps" ADD CONSTRAINT "sweeps_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sweeps" ADD CONSTRAINT "sweeps_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mediation_parties_case_idx" ON "mediation_parties" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "mediation_parties_id_bidx_idx" ON "mediation_parties" USING btree ("id_number_bidx");--> statement-breakpoint
CREATE INDEX "mediation_rooms_area_path_idx" ON "mediation_rooms" USING btree ("area_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "mediation_sessions_case_idx" ON "mediation_sessions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "mediation_sessions_room_idx" ON "mediation_sessions" USING btree ("room_id","starts_at");--> statement-breakpoint
CREATE INDEX "mediations_area_path_idx" ON "mediations" USING btree ("area_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "mediations_committee_idx" ON "mediations" USING btree ("committee_org_id","status");--> statement-breakpoint
CREATE INDEX "mediators_area_path_idx" ON "mediators" USING btree ("area_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "mediators_user_key" ON "mediators" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sweeps_area_path_idx" ON "sweeps" USING btree ("area_path" text_pattern_ops);