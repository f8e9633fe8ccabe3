/**
 * Scheduled work, run by the Worker's `scheduled` handler (the cron trigger in wrangler.toml) and by
 * timers in the Node server: every task runs on each cron trigger; on Node each task runs every
 * `intervalMs` (or the clean-up interval when it has none). A failing task is logged and does not stop
 * the others.
 *
 * Note for engineer A (tenancy): created by engineer B with the agreed name and shape; add the
 * retention clean-up and the rate-limit purge to `scheduledTasks`.
 */
import { runRetention } from "../store/retention.ts";
import type { AppDeps } from "./types.ts";
import { retryDueDeliveries } from "./webhook-dispatch.ts";

export interface ScheduledTask {
  /** For log lines. */
  name: string;
  /** How often the Node server runs it, in milliseconds; absent: the clean-up interval. */
  intervalMs?: number;
  run(deps: AppDeps): Promise<unknown>;
}

/** Finished webhook deliveries and admission decisions are kept this long. */
export const INTEGRATIONS_RETENTION_DAYS = 30;

const DAY_MS = 86_400_000;

/** Retries due outbound webhook deliveries (the backoff's first step is 10 s, so this runs often on Node). */
export const webhookRetryTask: ScheduledTask = {
  name: "webhook-retries",
  intervalMs: 10_000,
  run: (deps) => retryDueDeliveries(deps),
};

/** Deletes finished webhook deliveries and admission decisions older than 30 days. */
export const integrationsPurgeTask: ScheduledTask = {
  name: "integrations-purge",
  async run(deps) {
    const before = new Date(deps.clock.now().getTime() - INTEGRATIONS_RETENTION_DAYS * DAY_MS);
    const deliveries = await deps.store.webhooks.purgeFinished(before);
    const decisions = await deps.store.admission.purge(before);
    return { deliveries, decisions };
  },
};

/** Deletes scans the tenants' retention (days, maximum scans) no longer keeps (src/store/retention.ts). */
export const retentionTask: ScheduledTask = {
  name: "retention",
  run: (deps) => runRetention(deps.store, deps.clock.now(), deps.config.tenancy),
};

/** Deletes expired rate-limit windows (`RATE_LIMIT_PURGE_SQL`). */
export const rateLimitPurgeTask: ScheduledTask = {
  name: "rate-limit-purge",
  run: async (deps) => ({ purged: await deps.store.counters.purge(deps.clock.now()) }),
};

/** Every scheduled task. */
export const scheduledTasks: ScheduledTask[] = [
  webhookRetryTask,
  integrationsPurgeTask,
  retentionTask,
  rateLimitPurgeTask,
];

/**
 * Runs tasks one after the other; a failure is logged and the next task still runs.
 * @example ctx.waitUntil(runScheduledTasks(deps));
 */
export async function runScheduledTasks(
  deps: AppDeps,
  tasks: readonly ScheduledTask[] = scheduledTasks,
): Promise<{ name: string; ok: boolean; result?: unknown; error?: string }[]> {
  const out: { name: string; ok: boolean; result?: unknown; error?: string }[] = [];
  for (const task of tasks) {
    try {
      out.push({ name: task.name, ok: true, result: await task.run(deps) });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      deps.log?.("scheduled task failed", { task: task.name, error });
      out.push({ name: task.name, ok: false, error });
    }
  }
  return out;
}

/** A running scheduler: `stop()` clears the timers and waits for runs in progress. */
export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Timers for the Node server: each task runs every `task.intervalMs` (else `defaultIntervalMs`), the
 * first time after at most 30 s so a server restarted often still cleans up. A task never overlaps
 * itself; a failure is logged. Timers are unref'd, so they never keep the process alive.
 * @example const scheduler = startScheduler(deps, config.scheduleIntervalMs); … await scheduler.stop();
 */
export function startScheduler(
  deps: AppDeps,
  defaultIntervalMs: number,
  tasks: readonly ScheduledTask[] = scheduledTasks,
): Scheduler {
  const timers: ReturnType<typeof setTimeout>[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  const unref = (t: ReturnType<typeof setTimeout>) => {
    (t as { unref?: () => void }).unref?.();
    timers.push(t);
  };
  for (const task of tasks) {
    const interval = task.intervalMs ?? defaultIntervalMs;
    let busy = false;
    const tick = () => {
      if (busy || stopped) return;
      busy = true;
      const run = runScheduledTasks(deps, [task]).finally(() => {
        busy = false;
        running.delete(run);
      });
      running.add(run);
    };
    unref(setTimeout(tick, Math.min(interval, 30_000)));
    unref(setInterval(tick, interval));
  }
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}
