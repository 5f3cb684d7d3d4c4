// Measures scenario discovery (walk + parse + regex compile) and pattern search speed.
// Prints its figures; record them in docs/performance.md with the machine and date.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "adapters/regex/regex.hpp"
#include "adapters/scenarios/scenario_loader.hpp"

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

static double ms_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::stoi(argv[1]) : 2000;
  fs::path root = fs::temp_directory_path() / "runner-bench-scenarios";
  fs::remove_all(root);
  for (int i = 0; i < count; ++i) {
    fs::path dir = root / ("cat" + std::to_string(i % 20)) / ("s" + std::to_string(i));
    fs::create_directories(dir);
    std::ofstream(dir / "scenario.json")
        << R"({"key":"s)" << i << R"(","title":"t","description":"d","ticket_title":"tt","ticket_body":"b",)"
        << R"("tags":["t)" << i % 10 << R"("],"validation":{"job":[{"label":"ok","validator":"job_resolution_status","pattern":"^success$"}],)"
        << R"("tasks":[{"label":"df","validator":"pattern_match","where":"executed_commands","pattern":"\\bdf\\b|\\bdu\\b"},)"
        << R"({"label":"rm","validator":"pattern_match","where":"executed_commands","pattern":"rm\\s+-[a-z]*r[a-z]*\\s+/var/lib/app","negate":true}]}})";
    std::ofstream(dir / "prepare.yml") << "- hosts: all\n";
  }
  auto t0 = clock_type::now();
  runner::Catalog cat = runner::load_catalog(root.string());
  double load_ms = ms_since(t0);
  std::printf("load_catalog: %d scenarios in %.1f ms (%.1f us/scenario), %zu errors\n", count, load_ms,
              1000.0 * load_ms / count, cat.errors.size());

  std::string subject;
  while (subject.size() < (1u << 20)) subject += "ls -la /etc/nginx\ncat /var/log/app.log | tail -n 50\n";
  std::string err;
  auto re = runner::Regex::compile("rm\\s+-[a-z]*r[a-z]*\\s+/var/lib/app", &err);
  const int reps = 50;
  t0 = clock_type::now();
  int hits = 0;
  for (int i = 0; i < reps; ++i) hits += re->search(subject);
  double search_ms = ms_since(t0);
  std::printf("regex search (no match) over 1 MiB: %.2f ms per search, %.0f MiB/s (hits=%d)\n", search_ms / reps,
              reps * 1000.0 / search_ms, hits);
  fs::remove_all(root);
  return 0;
}
