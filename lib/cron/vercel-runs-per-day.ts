import vercel from "../../vercel.json";

const MINUTES_PER_DAY = 24 * 60;

/**
 * How many times a day vercel.json runs a cron route, read from its schedule, so an estimate follows
 * the schedule as deployed. Knows the forms the file uses: every minute, every N minutes (N dividing
 * the hour), and once a day at a fixed time.
 */
export function vercelRunsPerDay(path: string): number {
  const cron = vercel.crons.find((candidate) => candidate.path === path);
  if (!cron) throw new Error(`vercel.json schedules no ${path}`);
  const [minute, hour, ...rest] = cron.schedule.split(" ");
  if (rest.join(" ") !== "* * *") throw new Error(`cannot count the runs of "${cron.schedule}" (${path})`);
  if (hour === "*" && minute === "*") return MINUTES_PER_DAY;
  const every = /^\*\/(\d+)$/.exec(minute);
  if (hour === "*" && every && 60 % Number(every[1]) === 0) return MINUTES_PER_DAY / Number(every[1]);
  if (/^\d+$/.test(minute) && /^\d+$/.test(hour)) return 1;
  throw new Error(`cannot count the runs of "${cron.schedule}" (${path})`);
}
