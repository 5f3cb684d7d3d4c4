#pragma once
// Reads stored benchmarks back: finding one by what a user types (an ID, a unique ID
// prefix, `latest`), and its reports with everything a report holds (the trajectory
// included), for `validate --benchmark` and `flush`.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "messages/report.hpp"

namespace runner {

struct BenchmarkLookup {
  std::optional<BenchmarkRecord> benchmark;  // set when exactly one matched
  std::string error;                         // otherwise: why, naming what was typed
};

// A row of `runs`: a benchmark with its counts (from its reports, so a running or
// aborted benchmark has them too) and how long it ran (to its last heartbeat while
// running).
struct BenchmarkListing {
  BenchmarkRecord bench;
  std::string mode, gateway;  // from its options
  std::int64_t total = 0, passed = 0, failed = 0, errored = 0;
  double duration_s = 0;
};

// One scenario's results in one benchmark, for `history`.
struct ScenarioRun {
  std::string benchmark_id, benchmark_name, started_at;  // the benchmark
  std::string scenario_key;
  std::vector<std::string> tags;
  int passed = 0, total = 0;
};

// One connection for all of a command's reads (and its delete): a command such as
// `flush --older-than` touches many benchmarks and must not connect once per benchmark.
// Every method throws DbError.
class BenchmarkReader {
 public:
  // `organization_id` (ORG_ID; "" = all) scopes what names, `latest` and `recent` find:
  // two teams on one database may use the same names. IDs and ID prefixes are global.
  explicit BenchmarkReader(const std::string& url, const std::string& organization_id = "");
  ~BenchmarkReader();
  BenchmarkReader(const BenchmarkReader&) = delete;
  BenchmarkReader& operator=(const BenchmarkReader&) = delete;

  // `spec`: a full benchmark ID, a prefix of at least 4 hex digits that only one
  // benchmark's ID starts with, `latest` (the newest run by start; re-scores made by
  // `validate --write` are not runs and never `latest`), or a name (its newest run,
  // never a re-score).
  BenchmarkLookup find(const std::string& spec);

  // Per scenario and benchmark, the passes of the newest `last` runs (re-scores are not
  // runs), oldest first.
  std::vector<ScenarioRun> scenario_runs(int last);

  // The newest `limit` benchmarks, newest first.
  std::vector<BenchmarkListing> recent(int limit);

  // Benchmarks started more than `seconds` ago, oldest first.
  // Of the reader's organization when it has one.
  std::vector<BenchmarkRecord> older_than(long long seconds);

  // Every benchmark named `name` (runs and re-scores), oldest first; of the reader's
  // organization when it has one.
  std::vector<BenchmarkRecord> named(const std::string& name);

  // How many reports each of the benchmarks has, in one query (absent: none).
  std::map<std::string, std::size_t> report_counts(const std::vector<std::string>& ids);

  // The scenario keys of a benchmark's reports with their tags (cheap: no trajectory).
  std::map<std::string, std::vector<std::string>> stored_scenarios(const std::string& benchmark_id);

  // The benchmark's reports (only those of `keys` when given), by scenario key then
  // iteration. Without `with_trajectory` the trajectory is "" when none is stored, else
  // {} or {"truncated": true}: enough to say whether one is kept, for reports that
  // would otherwise read up to 1 MiB per iteration. With it, trajectories are read in
  // report order while their sizes add up to at most `trajectory_budget` bytes; the
  // rest read {"omitted": true} (memory stays bounded for a soak run's thousands).
  std::vector<ScenarioReport> reports(const std::string& benchmark_id, const std::vector<std::string>& keys = {},
                                      bool with_trajectory = true,
                                      std::int64_t trajectory_budget = INT64_MAX);

  // The folders holding the benchmarks' run logs (from their reports' log_path) that no
  // other benchmark's report points into.
  std::vector<std::string> log_folders_of(const std::vector<std::string>& benchmark_ids);

  // Deletes the benchmarks and (cascading) their reports in one transaction; a re-score
  // of one keeps its rows and loses only the link. Returns the reports deleted.
  std::size_t delete_benchmarks(const std::vector<std::string>& ids);

 private:
  struct Impl;  // the connection: libpqxx stays out of this header
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner
