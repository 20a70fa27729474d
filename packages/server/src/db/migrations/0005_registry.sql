CREATE TABLE "grid_workers" (
	"area_id" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"residency" text NOT NULL,
	"name_enc" text,
	"id_number_enc" text,
	"id_number_bidx" text,
	"phone_enc" text,
	"phone_bidx" text,
	"address_enc" text,
	"gender" text,
	"birth_year" smallint,
	"household_no" text,
	"relation_to_head" text,
	"room" text,
	"place_id" integer,
	"area_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"archived_at" timestamp with time zone,
	"purged_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_status_check" CHECK ("people"."status" in ('active','archived','purged'))
);
--> statement-breakpoint
CREATE TABLE "person_groups" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "person_groups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"person_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"kind" text NOT NULL,
	"attention_level" text NOT NULL,
	"details_enc" text,
	"next_follow_up_on" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "places" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "places_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"lon" double precision,
	"lat" double precision,
	"area_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_organizations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "registry_organizations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"credit_code" text,
	"contact_name_enc" text,
	"contact_phone_enc" text,
	"address" text,
	"place_id" integer,
	"area_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "visits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"area_path" text NOT NULL,
	"kind" text NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"visitor_id" uuid,
	"visitor_name" text NOT NULL,
	"note" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visits_subject_type_check" CHECK ("visits"."subject_type" in ('person','place','organization'))
);
--> statement-breakpoint
ALTER TABLE "areas" ADD COLUMN "boundary" jsonb;--> statement-breakpoint
ALTER TABLE "grid_workers" ADD CONSTRAINT "grid_workers_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_workers" ADD CONSTRAINT "grid_workers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_groups" ADD CONSTRAINT "person_groups_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "places" ADD CONSTRAINT "places_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_organizations" ADD CONSTRAINT "registry_organizations_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_organizations" ADD CONSTRAINT "registry_organizations_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "grid_workers_key" ON "grid_workers" USING btree ("area_id","user_id");--> statement-breakpoint
CREATE INDEX "grid_workers_user_idx" ON "grid_workers" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_id_number_key" ON "people" USING btree ("id_number_bidx");--> statement-breakpoint
CREATE INDEX "people_phone_idx" ON "people" USING btree ("phone_bidx");--> statement-breakpoint
CREATE INDEX "people_area_path_idx" ON "people" USING btree ("area_path" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "people_place_idx" ON "people" USING btree ("place_id");--> statement-breakpoint
CREATE UNIQUE INDEX "person_groups_key" ON "person_groups" USING btree ("person_id","kind");--> statement-breakpoint
CREATE INDEX "person_groups_area_path_idx" ON "person_groups" USING btree ("area_path" text_pattern_ops,"kind");--> statement-breakpoint
CREATE UNIQUE INDEX "places_code_key" ON "places" USING btree ("code");--> statement-breakpoint
CREATE INDEX "places_area_path_idx" ON "places" USING btree ("area_path" text_pattern_ops,"id");--> statement-breakpoint
CREATE UNIQUE INDEX "registry_organizations_credit_code_key" ON "registry_organizations" USING btree ("credit_code");--> statement-breakpoint
CREATE INDEX "registry_organizations_area_path_idx" ON "registry_organizations" USING btree ("area_path" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "visits_subject_idx" ON "visits" USING btree ("subject_type","subject_id","visited_at");--> statement-breakpoint
CREATE INDEX "visits_area_path_idx" ON "visits" USING btree ("area_path" text_pattern_ops,"visited_at");