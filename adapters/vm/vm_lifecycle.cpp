#include "adapters/vm/vm_lifecycle.hpp"

#include "adapters/process/stop_children.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/ansible/inventory.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/ansible/playbook_runner.hpp"
#include "adapters/process/command.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

std::string slug(const std::string& s, std::size_t max) {
  std::string out;
  for (char c : s) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c));
    if (ok) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > max) out.resize(max);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "x" : out;
}

std::string random_suffix() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  static const char* chars = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 4; ++i) s += chars[rng() % 36];
  return s;
}

}  // namespace

RunnerKey ensure_runner_key() {
  std::string path;
  if (const char* k = std::getenv("RUNNER_SSH_KEY"); k && *k) {
    path = k;
  } else {
    const char* home = std::getenv("HOME");
    path = std::string(home && *home ? home : "/root") + "/.ssh/runner_key";
  }
  if (!fs::exists(path)) {
    fs::create_directories(fs::path(path).parent_path());
    auto r = run_command({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "2501-runner", "-f", path}, "",
                         std::chrono::seconds(30));
    if (!r.ok()) throw VmError("cannot make the runner SSH key " + path + ": " + r.describe());
  }
  std::ifstream in(path + ".pub");
  RunnerKey key{path, ""};
  std::getline(in, key.public_key);
  if (key.public_key.empty()) throw VmError("runner SSH key " + path + ".pub is missing or empty");
  return key;
}

std::string clone_name(const std::string& benchmark_id, const std::string& scenario_key, const std::string& host_name,
                       int iteration) {
  // 6 + 8 + 1 + slug + 1 + iteration + 1 + 4 <= 63
  const std::string it = std::to_string(iteration);
  const std::size_t room = 63 - (6 + 8 + 1 + 1 + it.size() + 1 + 4);
  std::string s = slug(scenario_key, room * 2 / 3);
  s += "-" + slug(host_name, room - s.size() - 1);
  return std::string(kClonePrefix) + slug(benchmark_id, 8).substr(0, 8) + "-" + slug(s, room) + "-" + it + "-" +
         random_suffix();
}

bool is_runner_clone(const VmInfo& vm) {
  return vm.name.rfind(kClonePrefix, 0) == 0 && vm.name.rfind("template-", 0) != 0;
}

VmEndpoint wait_ready(VmProvider& provider, const std::string& name, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto ep = provider.ready(name)) return *ep;
    if (std::chrono::steady_clock::now() >= deadline)
      throw VmError(name + " was not reachable within " + std::to_string(timeout.count()) + " s");
    if (children_stopped()) throw VmError(name + ": the wait for it ended at the run's second interrupt");
    std::this_thread::sleep_for(std::chrono::seconds(1));  // a worker thread, never the scheduler
  }
}

VmEndpoint bring_up_clone(VmProvider& provider, const VmTemplate& t, const std::string& name, const VmLabels& labels,
                          const RunnerKey& key, std::chrono::seconds ready_timeout) {
  try {
    provider.clone(t.instance_name(), name, t, labels);
    provider.start(name);
    provider.authorize(name, key.public_key);
    return wait_ready(provider, name, ready_timeout);
  } catch (const std::exception& e) {
    try {
      provider.destroy(name);
    } catch (...) {
      // purge-vms and the next run's reaping find it by its labels
    }
    throw VmError(e.what());
  }
}

std::string clone_ansible_vars(const VmTemplate& t) {
  nlohmann::json vars = {{"ansible_python_interpreter", "/usr/bin/python3"}, {"ansible_become", true}};
  // The template's own vars win over these defaults.
  const auto own = nlohmann::json::parse(t.ansible_vars_json, nullptr, false);
  if (own.is_object()) vars.update(own);
  return json_dump(vars);
}

void add_scenario_agents(RegisterRequest& req, const Scenario& s, const std::string& specialty_override) {
  for (const auto& a : s.agents) {
    req.agent_names.push_back(a.agent_name.empty() ? s.key + "-" + a.host_name : a.agent_name);
    req.agent_host_names.push_back(a.host_name);
    req.agent_specialties.push_back(!specialty_override.empty() ? specialty_override
                                    : !a.specialty_key.empty()  ? a.specialty_key
                                                                : "SERVICES_MANAGER");
  }
}

HostRow clone_host_row(const std::string& name, const std::string& inventory_name, const VmEndpoint& ep,
                       const VmTemplate& t) {
  HostRow h;
  h.name = name;
  h.inventory_name = inventory_name;
  h.address = ep.address;
  h.port = ep.port;
  h.ssh_user = ep.user;
  h.ssh_key_path = ep.key_path;
  h.ansible_vars_json = clone_ansible_vars(t);
  return h;
}

bool ensure_template(VmProvider& provider, const VmTemplate& t, const RunnerKey& key, std::chrono::seconds ready_timeout,
                     const std::string& log_path, const std::function<void(const std::string&)>& progress) {
  const std::string name = t.instance_name();
  if (auto existing = provider.find(name)) {
    if (existing->status == "Running") {
      progress(name + " is running; stopping it so it can be cloned");
      provider.stop(name);
    }
    return false;
  }
  progress(name + ": building from " + (t.base_image.count(provider.mode()) ? t.base_image.at(provider.mode()) : "?") +
           " (once per machine)");
  try {
    provider.create_from_image(t, name, {{"role", "template"}});
    progress(name + ": starting");
    provider.start(name);
    provider.authorize(name, key.public_key);
    progress(name + ": waiting until it is reachable");
    const VmEndpoint ep = wait_ready(provider, name, ready_timeout);
    if (!t.provision.empty()) {
      progress(name + ": running " + fs::path(t.provision).filename().string() + " (log " + log_path + ")");
      const HostRow h = clone_host_row(name, name, ep, t);
      const std::string inventory = (fs::temp_directory_path() / ("2501-template-" + t.name + "-" +
                                                                  std::to_string(::getpid()) + ".json")).string();
      std::ofstream(inventory) << inventory_json({h});
      PlaybookRun run;
      run.playbook = t.provision;
      run.inventory = inventory;
      run.workdir = t.dir;
      run.log_path = log_path;
      run.timeout = std::chrono::minutes(30);
      run.extra_vars_json = json_dump({{"template_name", t.name}});
      PlaybookResult res = run_playbook(run);
      fs::remove(inventory);
      if (!res.ok())
        throw VmError("provisioning playbook " + t.provision + " failed (" +
                      (res.error.empty() ? "exit " + std::to_string(res.exit_code) : res.error) + "); see " + log_path);
    }
    progress(name + ": stopping");
    provider.stop(name);
    progress(name + ": ready");
    return true;
  } catch (const std::exception& e) {
    try {
      provider.destroy(name);
    } catch (...) {
    }
    throw VmError(std::string("template ") + t.name + ": " + e.what());
  }
}

}  // namespace runner
