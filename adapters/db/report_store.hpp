#pragma once
// Writes benchmarks and scenario reports to PostgreSQL. Every write is idempotent
// (insert-or-update keyed on the benchmark id, and on (benchmark_id, scenario_key,
// iteration) for reports), so replaying a spool never duplicates a row.
// Blocking: call it from the reporter actor's own thread, never the scheduler's.
#include <memory>
#include <string>
#include <vector>

#include "messages/report.hpp"

namespace runner {

// The report as it is stored: every text with every registered secret masked and made
// valid UTF-8, every JSON column jsonb-safe. Files made from in-memory reports
// (`run --junit/--json`, the step summary) go through this too, so they never hold
// what the database would not.
ScenarioReport stored_form(const ScenarioReport& r);

class ReportStore {
 public:
  explicit ReportStore(std::string database_url);
  ~ReportStore();

  // Each throws DbError when the database cannot take the write; the connection
  // is dropped then and re-opened on the next call. Kind::query means the database
  // answered but refused this write (retrying it cannot help).
  void start_benchmark(const BenchmarkRecord& b);
  void upsert_report(const ScenarioReport& r);
  // Sets status and finished_at; totals are counted from the stored reports.
  // `capacity_json` ("" = leave as is): the VM modes' RAM budget, peak and timeline.
  void finish_benchmark(const std::string& benchmark_id, const std::string& status, const std::string& finished_at,
                        const std::string& capacity_json = "");
  // A whole benchmark in one transaction (a re-score): all of it or nothing.
  void store_whole(const BenchmarkRecord& b, const std::vector<ScenarioReport>& reports, const std::string& status,
                   const std::string& finished_at);

 private:
  struct Impl;  // keeps libpqxx out of this header
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner
