#pragma once
// What a run records: the Benchmark (one per invocation) and one ScenarioReport per
// scenario-iteration. Plain data; the reporter writes it to PostgreSQL or the spool.
// JSON-valued columns are carried as JSON text, already serialized.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace runner {

struct BenchmarkRecord {
  std::string id;  // uuid
  std::string name;  // `run --name`, or generated (core/run_name.hpp); "" for rows before migration 0009
  std::string organization_id, tenant_id, user_id;
  std::string status = "running";  // running | completed | interrupted | failed
  std::string started_at;          // ISO 8601 UTC
  std::string finished_at;         // empty while running
  std::string options_json = "{}"; // the run's options, secrets excluded
  std::string runner_version;
  std::string scenarios_commit;    // git source only
  std::string rescored_from;       // `validate --benchmark B --write`: B ("" = a run)
  std::string capacity_json;       // VM modes: RAM budget, peak, timeline ("" = none); read by find(), not listings
};

// The verdict of one scenario-iteration: parsed once where it is read (the spool),
// printed once where it is written (database, spool, console).
enum class IterationStatus : std::uint8_t {
  pending,  // the phases have not decided yet (never stored)
  passed,
  failed,
  error,
};
const char* to_string(IterationStatus s);
std::optional<IterationStatus> parse_iteration_status(std::string_view text);

struct ScenarioReport {
  std::string benchmark_id;
  std::string scenario_key;
  std::string scenario_title;
  std::string tags_json = "[]";
  int iteration = 1;                // 1-based
  std::string mode = "host";
  std::string gateway = "runner";
  IterationStatus status = IterationStatus::error;
  std::string error_kind;           // provision | prepare | flush | gateway | timeout | guard | validate | internal | interrupted
  std::string error_message;
  std::optional<double> compliance_score;  // 0..100
  std::string rules_json = "[]";    // [{label, scope, validator, required, negate, outcome, detail}]
  std::string validate_playbook = "absent";  // passed | failed | absent
  std::string ticket_id, job_id, resolution_status;
  std::optional<int> task_count;
  std::string host_ids_json = "[]";
  std::string agent_ids_json = "[]";
  std::string tokens_json = "{}";
  std::string phases_json = "{}";   // {phase: {started_at, duration_ms, outcome}}
  std::string trajectory_json;      // core/trajectory.hpp; "" = none (no job was read): NULL
  std::string chaos_json;           // `chaos` only (core/chaos.hpp); "" = NULL
  std::string platform_json;        // the platform's timings (core/platform_timings.hpp); "" = NULL
  std::string attempts_json;        // --retries: earlier attempts (core/retries.hpp); "" = NULL (the first attempt)
  std::string log_path;
  std::string started_at, finished_at;  // ISO 8601 UTC
  std::int64_t duration_ms = 0;
};

// Where this run's reports ended up, as the reporter knows it at the end: what the
// last lines of `run` say and what decides exit 4 (anything neither stored nor
// spooled). Counts are of this benchmark's ScenarioReports.
struct ReportLedger {
  std::uint64_t stored = 0;     // in the database (directly or replayed)
  std::uint64_t spooled = 0;    // waiting in the spool for the next run or `db migrate`
  std::uint64_t rejected = 0;   // refused by the database; kept in the spool folder's .rejected files
  std::uint64_t lost = 0;       // neither stored nor spooled (the spool could not be written)
  std::uint64_t spool_lines = 0;  // every line waiting in the spool, of any run
  std::string spool_dir;
};

}  // namespace runner
