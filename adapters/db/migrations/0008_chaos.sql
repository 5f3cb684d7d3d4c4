-- `chaos` runs (the 0.8 resilience test): what happened after the engine was killed in
-- the job's first task (core/chaos.hpp); NULL for iterations of `run`.
ALTER TABLE scenario_reports ADD COLUMN chaos jsonb;
