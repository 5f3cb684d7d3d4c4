#include "app/commands/vm_support.hpp"

#include "adapters/env/env_number.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "adapters/db/platform_store.hpp"
#include "adapters/vm/vm_lifecycle.hpp"

namespace fs = std::filesystem;

namespace runner {

std::vector<std::string> check_vm_scenarios(const std::vector<const Scenario*>& selected,
                                            const TemplateCatalog& templates) {
  std::vector<std::string> errors;
  for (const Scenario* s : selected) {
    std::set<std::string> names;
    if (s->hosts.empty()) errors.push_back(s->file + ": hosts: a VM mode needs at least one host with a template");
    for (std::size_t i = 0; i < s->hosts.size(); ++i) {
      const HostSpec& h = s->hosts[i];
      const std::string at = s->file + ": hosts[" + std::to_string(i) + "]";
      if (h.host_name.empty()) errors.push_back(at + ".host_name: required in VM modes");
      if (h.template_name.empty())
        errors.push_back(at + ".template: required in VM modes");
      else if (!templates.templates.count(h.template_name))
        errors.push_back(at + ".template: '" + h.template_name + "' is not defined in the VM templates folder");
      if (!h.host_name.empty() && !names.insert(h.host_name).second)
        errors.push_back(at + ".host_name: '" + h.host_name + "' appears twice");
    }
    for (std::size_t i = 0; i < s->agents.size(); ++i)
      if (!names.count(s->agents[i].host_name))
        errors.push_back(s->file + ": agents[" + std::to_string(i) + "].host_name: '" + s->agents[i].host_name +
                         "' is not a host_name of hosts[] (VM modes create agents on the scenario's clones)");
  }
  return errors;
}

std::uint64_t ram_budget_mib(std::optional<double> cap_gb, std::string& detail) {
  std::uint64_t available_kib = 0;
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t value = 0;
  std::string unit;
  while (in >> key >> value >> unit)
    if (key == "MemAvailable:") {
      available_kib = value;
      break;
    }
  std::uint64_t reserve = 2048;
  reserve = env_number("RUNNER_RAM_RESERVE_MIB", reserve, 0, std::uint64_t{1} << 30);
  const std::uint64_t available = available_kib / 1024;
  std::uint64_t budget = available > reserve ? available - reserve : 0;
  detail = std::to_string(available) + " MiB available - " + std::to_string(reserve) + " MiB reserve";
  if (cap_gb) {
    const auto cap = static_cast<std::uint64_t>(*cap_gb * 1024.0);
    if (cap < budget) {
      budget = cap;
      detail += "; capped by --parallel-ram-cap";
    }
  }
  return budget;
}

void ensure_templates(VmProvider& provider, const TemplateCatalog& templates, const std::vector<std::string>& names,
                      const RunnerKey& key, const std::string& log_dir) {
  std::set<std::string> done;
  fs::create_directories(log_dir);
  for (const auto& n : names) {
    if (!done.insert(n).second) continue;
    const VmTemplate& t = templates.templates.at(n);
    const std::string log = (fs::path(log_dir) / ("template-" + n + ".log")).string();
    if (ensure_template(provider, t, key, std::chrono::seconds(300), log,
                        [](const std::string& line) { spdlog::info("{}", line); }))
      spdlog::info("built template-{} ({} MiB, {} vCPU)", n, t.memory_mib, t.vcpu);
  }
}

std::size_t reap_clones(VmProvider& provider, const std::string& database_url, const ReapOptions& opts) {
  std::vector<VmInfo> doomed;
  std::unique_ptr<PlatformStore> store;
  if (!database_url.empty()) store = std::make_unique<PlatformStore>(database_url);
  std::map<std::string, bool> alive;  // by benchmark: one lock probe per run, not per clone
  for (const VmInfo& vm : provider.list()) {
    if (!is_runner_clone(vm)) continue;
    const std::string role = vm.label("role"), bench = vm.label("benchmark");
    if (!opts.benchmark_id.empty()) {
      if (bench == opts.benchmark_id) doomed.push_back(vm);
      continue;
    }
    if (role == "sandbox" && opts.sandboxes) doomed.push_back(vm);
    if (role == "run" && opts.dead_runs) {
      // Without a database nobody can tell a live run from a dead one: leave it.
      if (!store || bench.empty()) continue;
      if (!alive.count(bench)) alive[bench] = store->run_alive(bench);
      if (!alive[bench]) doomed.push_back(vm);
    }
  }
  std::vector<std::string> names;
  for (const auto& vm : doomed) {
    try {
      provider.destroy(vm.name);
      names.push_back(vm.name);
      spdlog::info("reaped {} ({} of benchmark {})", vm.name, vm.label("role"), vm.label("benchmark"));
    } catch (const std::exception& e) {
      spdlog::warn("could not delete {}: {}", vm.name, e.what());
    }
  }
  if (store && !names.empty()) {
    try {
      store->delete_ephemeral_hosts_named(names);
    } catch (const std::exception& e) {
      spdlog::warn("could not delete the host rows of reaped clones: {}", e.what());
    }
  }
  return names.size();
}

}  // namespace runner
