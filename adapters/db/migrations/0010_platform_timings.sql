-- How the platform behaved in each job, as the runner observed it by polling
-- (core/platform_timings.hpp): ticket -> pickup -> first task -> terminal, and the
-- cancel's latency. NULL when no ticket was created.
ALTER TABLE scenario_reports ADD COLUMN platform jsonb;
