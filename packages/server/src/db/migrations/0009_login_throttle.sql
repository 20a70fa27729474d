CREATE TABLE "login_throttle" (
	"name_hash" text NOT NULL,
	"address_hash" text NOT NULL,
	"failures" integer NOT NULL,
	"last_failed_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	CONSTRAINT "login_throttle_name_hash_address_hash_pk" PRIMARY KEY("name_hash","address_hash")
);
--> statement-breakpoint
CREATE INDEX "login_throttle_last_failed_idx" ON "login_throttle" USING btree ("last_failed_at");