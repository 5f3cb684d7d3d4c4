-- Two runners on one database: a host is held by one scenario-iteration at a time
-- (an advisory lock per host; this row says who holds it, for the one who waits),
-- and a benchmark whose run died while `running` is marked `aborted` by the next run
-- or `db migrate`, with when that was found.
CREATE TABLE host_holds (
  host_id      text PRIMARY KEY,
  benchmark_id uuid NOT NULL,
  scenario_key text NOT NULL,
  iteration    integer NOT NULL,
  since        timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE benchmarks DROP CONSTRAINT IF EXISTS benchmarks_status_check;
ALTER TABLE benchmarks ADD CONSTRAINT benchmarks_status_check
  CHECK (status IN ('running', 'completed', 'interrupted', 'failed', 'aborted'));
ALTER TABLE benchmarks ADD COLUMN aborted_found_at timestamptz;
-- A run's sign of life, set every few seconds: a run whose database session was cut
-- (a restart) is still alive while it was seen within the last minute.
ALTER TABLE benchmarks ADD COLUMN last_seen timestamptz;
