#pragma once
// The VM modes' steps around a run (main thread, blocking, before and after the
// actors work): checking the selection against the templates, the RAM budget,
// building missing templates, and reaping clones of runs that died.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/vm/vm_lifecycle.hpp"
#include "messages/scenario.hpp"

namespace runner {

// Every host of the selection has host_name and a defined template, every agent a
// host_name among them. One "file: hosts[i].template: ..." line per problem.
std::vector<std::string> check_vm_scenarios(const std::vector<const Scenario*>& selected, const TemplateCatalog& templates);

// min(--parallel-ram-cap, MemAvailable - reserve) in MiB; reserve is
// RUNNER_RAM_RESERVE_MIB (default 2048). `detail` says how it was found.
std::uint64_t ram_budget_mib(std::optional<double> cap_gb, std::string& detail);

// Builds the named templates that are missing (progress on the console).
void ensure_templates(VmProvider& provider, const TemplateCatalog& templates, const std::vector<std::string>& names,
                      const RunnerKey& key, const std::string& log_dir);

struct ReapOptions {
  bool dead_runs = true;            // role=run clones whose run lock is free
  bool sandboxes = false;           // role=sandbox clones (sandbox prepare)
  std::string benchmark_id;         // only this run's clones, alive or not ("" = any)
};
// Destroys matching clones and deletes their ephemeral host rows (agents go with
// them); never touches template-* or anything without the clone prefix. Returns how
// many clones went.
std::size_t reap_clones(VmProvider& provider, const std::string& database_url, const ReapOptions& opts);

}  // namespace runner
