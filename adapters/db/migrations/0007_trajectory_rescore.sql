-- The agent's trajectory with each report (core/trajectory.hpp): the job as the engine
-- returned it at the end, and for ServiceNow the incident and its journal. jsonb
-- values above about 2 kB are compressed by PostgreSQL's TOAST and stored out of
-- line, so the column costs little in scans that do not read it. NULL: no job was
-- ever read (the iteration ended before its ticket had a job).
ALTER TABLE scenario_reports ADD COLUMN trajectory jsonb;

-- `validate --benchmark B --write` stores a re-score as a new benchmark linked to the
-- one it re-scored (never overwriting it).
ALTER TABLE benchmarks ADD COLUMN rescored_from uuid REFERENCES benchmarks (id) ON DELETE SET NULL;
