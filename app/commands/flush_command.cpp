#include "app/commands/flush_command.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "adapters/db/benchmark_reader.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/db/platform_store.hpp"
#include "app/commands/command_support.hpp"
#include "messages/exit_codes.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

struct Doomed {
  BenchmarkRecord bench;
  std::size_t reports = 0;
};

// What of these benchmarks lives outside the database: their run log folders (where
// their reports say, unless a benchmark not being deleted points into one: a re-score
// shares its run's logs) and their spooled lines.
std::vector<fs::path> files_of(BenchmarkReader& db, const std::vector<std::string>& ids, const std::string& spool_dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& dir : db.log_folders_of(ids))
    if (fs::exists(dir, ec)) out.push_back(dir);
  for (const auto& id : ids)
    for (const char* ext : {".jsonl", ".rejected"})
      if (fs::path p = fs::path(spool_dir) / (id + ext); fs::exists(p, ec)) out.push_back(p);
  return out;
}

bool confirmed(std::size_t n) {
  std::cerr << "delete " << n << " benchmark(s) and everything listed above? [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

int run_flush_command(const FlushOptions& opts) {
  Config cfg = load_command_config(opts.common);
  if (!cfg.has("DATABASE_URL")) {
    spdlog::error("flush needs DATABASE_URL (the benchmarks are found and deleted there)");
    return exit_code::usage;
  }
  const std::string url = cfg.get("DATABASE_URL");
  const std::string spool = spool_dir_for(opts.spool_dir, url);
  try {
    BenchmarkReader db(url, cfg.get("ORG_ID"));
    std::vector<BenchmarkRecord> found;
    if (opts.older_than_s) {
      found = db.older_than(*opts.older_than_s);
    } else if (!opts.names.empty()) {
      std::set<std::string> seen;
      for (const auto& name : opts.names) {
        const auto list = db.named(name);
        if (list.empty()) {
          spdlog::error("--name: no benchmark is named '{}'", name);
          return exit_code::usage;
        }
        for (const auto& b : list)
          if (seen.insert(b.id).second) found.push_back(b);
      }
    } else {
      std::set<std::string> seen;
      for (const auto& spec : opts.benchmarks) {
        BenchmarkLookup l = db.find(spec);
        if (!l.benchmark) {
          spdlog::error("--benchmark: {}", l.error);
          return exit_code::usage;
        }
        if (seen.insert(l.benchmark->id).second) found.push_back(*l.benchmark);
      }
    }
    // A live run keeps its rows: deleting them under it would lose its reports.
    PlatformStore store(url);
    std::vector<Doomed> doomed;
    for (const auto& b : found) {
      if (b.status == "running" && store.run_alive(b.id)) {
        spdlog::warn("benchmark {} is still running: left alone", b.id);
        continue;
      }
      doomed.push_back({b, 0});
    }
    std::vector<std::string> ids;
    for (const auto& d : doomed) ids.push_back(d.bench.id);
    const auto counts = db.report_counts(ids);
    for (auto& d : doomed)
      if (auto it = counts.find(d.bench.id); it != counts.end()) d.reports = it->second;
    const std::vector<fs::path> doomed_files = files_of(db, ids, spool);
    if (doomed.empty()) {
      spdlog::info("flush: nothing to delete");
      return found.empty() || (opts.benchmarks.empty() && opts.names.empty()) ? exit_code::success : exit_code::usage;
    }
    for (const auto& d : doomed)
      spdlog::info("benchmark {}{} ({}, {}{}): {} report(s)", d.bench.id, d.bench.name.empty() ? "" : " " + d.bench.name,
                   d.bench.started_at, d.bench.status, d.bench.rescored_from.empty() ? "" : ", a re-score of " + d.bench.rescored_from,
                   d.reports);
    for (const auto& f : doomed_files) spdlog::info("  {}", f.string());
    if (opts.dry_run) {
      spdlog::info("flush: --dry-run, nothing deleted");
      return exit_code::success;
    }
    if (!opts.yes) {
      if (!::isatty(STDIN_FILENO)) {
        spdlog::error("flush: stdin is not a terminal to ask on; pass --yes to delete without asking");
        return exit_code::usage;
      }
      if (!confirmed(doomed.size())) {
        spdlog::info("flush: nothing deleted");
        return exit_code::success;
      }
    }
    // A dead run's agent overrides are put back before its benchmark goes.
    store.repair_overrides();
    std::size_t reports = 0;
    try {
      reports = db.delete_benchmarks(ids);
    } catch (const DbError& e) {
      spdlog::error("deleting the benchmarks failed, nothing was deleted: {}", e.what());
      return exit_code::infrastructure;
    }
    std::size_t files = 0;
    for (const auto& f : doomed_files) {
      std::error_code ec;
      files += fs::remove_all(f, ec) > 0;
      if (ec) spdlog::warn("could not delete {}: {}", f.string(), ec.message());
    }
    spdlog::info("flush: deleted {} benchmark(s), {} report(s), {} file(s) or folder(s)", ids.size(), reports, files);
    return exit_code::success;
  } catch (const DbError& e) {
    spdlog::error("{}", e.what());
    return exit_code::preflight;
  }
}

}  // namespace runner
