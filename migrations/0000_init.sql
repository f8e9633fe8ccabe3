CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `api_keys_tenant_idx` ON `api_keys` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `api_keys_prefix_idx` ON `api_keys` (`prefix`);--> statement-breakpoint
CREATE TABLE `findings` (
	`tenant_id` text NOT NULL,
	`scan_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`check_id` text NOT NULL,
	`severity` text NOT NULL,
	`severity_rank` integer NOT NULL,
	`title` text NOT NULL,
	`message` text NOT NULL,
	`api_version` text NOT NULL,
	`kind` text NOT NULL,
	`namespace` text,
	`name` text NOT NULL,
	`path` text NOT NULL,
	`file` text NOT NULL,
	`line` integer NOT NULL,
	`col` integer NOT NULL,
	`suppressed` integer NOT NULL,
	`suppression` text,
	`pss_check` text,
	PRIMARY KEY(`tenant_id`, `scan_id`, `ordinal`)
);
--> statement-breakpoint
CREATE INDEX `findings_tenant_scan_severity_idx` ON `findings` (`tenant_id`,`scan_id`,`severity_rank`);--> statement-breakpoint
CREATE INDEX `findings_tenant_fingerprint_idx` ON `findings` (`tenant_id`,`fingerprint`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`scan_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_tenant_scan_idx` ON `idempotency_keys` (`tenant_id`,`scan_id`);--> statement-breakpoint
CREATE TABLE `scan_resources` (
	`tenant_id` text NOT NULL,
	`scan_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`kind` text NOT NULL,
	`namespace` text,
	`name` text NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `scan_id`, `ordinal`)
);
--> statement-breakpoint
CREATE TABLE `scans` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer NOT NULL,
	`repository` text,
	`branch` text,
	`commit` text,
	`pipeline_url` text,
	`labels` text,
	`tool_version` text NOT NULL,
	`passed` integer NOT NULL,
	`fail_on` text NOT NULL,
	`options` text NOT NULL,
	`summary` text NOT NULL,
	`frameworks` text NOT NULL,
	`report` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `scans_tenant_created_idx` ON `scans` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `scans_tenant_repository_idx` ON `scans` (`tenant_id`,`repository`,`created_at`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
