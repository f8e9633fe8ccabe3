CREATE TABLE `audit_log` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`details` text,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `audit_log_tenant_at_idx` ON `audit_log` (`tenant_id`,`at`,`id`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`key`, `window_start`)
);
--> statement-breakpoint
CREATE TABLE `tenant_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`settings` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `admission_decisions` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`uid` text NOT NULL,
	`key_id` text NOT NULL,
	`operation` text NOT NULL,
	`kind` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`username` text NOT NULL,
	`allowed` integer NOT NULL,
	`enforce` text,
	`message` text,
	`warnings` text NOT NULL,
	`exempt` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `admission_decisions_tenant_at_idx` ON `admission_decisions` (`tenant_id`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `admission_decisions_tenant_namespace_idx` ON `admission_decisions` (`tenant_id`,`namespace`,`at`);--> statement-breakpoint
CREATE TABLE `inbound_hooks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`description` text,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer
);
--> statement-breakpoint
CREATE INDEX `inbound_hooks_tenant_idx` ON `inbound_hooks` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`scan_id` text NOT NULL,
	`payload` text NOT NULL,
	`event_at` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`last_attempt_at` integer,
	`next_attempt_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_tenant_endpoint_idx` ON `webhook_deliveries` (`tenant_id`,`endpoint_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`format` text NOT NULL,
	`description` text,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_tenant_idx` ON `webhook_endpoints` (`tenant_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `api_keys` ADD `last_used_at` integer;--> statement-breakpoint
ALTER TABLE `scans` ADD `settings` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `suspended` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `suspended_at` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `requests_per_minute` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `scans_per_day` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `retention_days` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `retention_max_scans` integer;