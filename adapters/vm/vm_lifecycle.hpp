#pragma once
// What the runner does with a provider, shared by `run` and the `sandbox` commands:
// the runner's SSH key, clone names and labels, template builds, bringing a clone
// up (clone, start, key, bounded wait) and finding clones left by dead runs.
// Blocking: main thread or a detached actor.
#include <chrono>
#include <functional>
#include <string>

#include "adapters/vm/vm_provider.hpp"
#include "messages/host.hpp"
#include "messages/lifecycle.hpp"
#include "messages/scenario.hpp"

namespace runner {

struct RunnerKey {
  std::string private_path;
  std::string public_key;  // one line, "ssh-ed25519 AAAA... 2501-runner"
};

// RUNNER_SSH_KEY, else ~/.ssh/runner_key; made with ssh-keygen (ed25519, no
// passphrase) when missing. Throws VmError when it cannot be made.
RunnerKey ensure_runner_key();

// Every clone's name starts with this; templates are `template-*`, never ours.
inline constexpr const char* kClonePrefix = "r2501-";

// r2501-<first 8 of benchmark id>-<scenario/host slug>-<iteration>-<4 random>,
// at most 63 characters, letters, digits and '-' (valid for incus and lima).
std::string clone_name(const std::string& benchmark_id, const std::string& scenario_key, const std::string& host_name,
                       int iteration);

// A name the runner made (prefix) and not a template.
bool is_runner_clone(const VmInfo& vm);

// Builds `template-<name>` when it is missing: instance from the base image, the
// runner key, wait, the provisioning playbook, stop. A failed build is deleted.
// `progress` receives one line per step. Returns true when it built one.
bool ensure_template(VmProvider& provider, const VmTemplate& t, const RunnerKey& key, std::chrono::seconds ready_timeout,
                     const std::string& log_path, const std::function<void(const std::string&)>& progress);

// Clone of the template, started, key authorized, reachable within `ready_timeout`.
// On any failure the clone is destroyed before VmError is thrown.
VmEndpoint bring_up_clone(VmProvider& provider, const VmTemplate& t, const std::string& name, const VmLabels& labels,
                          const RunnerKey& key, std::chrono::seconds ready_timeout);

// Polls provider.ready() once a second until it answers or the timeout expires.
VmEndpoint wait_ready(VmProvider& provider, const std::string& name, std::chrono::seconds timeout);

// The inventory variables of a clone's host row: SSH to the endpoint plus the
// template's ansible_vars (last, so a template may override them).
std::string clone_ansible_vars(const VmTemplate& t);

// Adds the scenario's agents to a registration: name (default <key>-<host_name>),
// host, specialty (`specialty_override`, else the scenario's, else SERVICES_MANAGER).
void add_scenario_agents(RegisterRequest& req, const Scenario& s, const std::string& specialty_override);

// The host row of a reachable instance: name, inventory name, SSH endpoint, vars.
HostRow clone_host_row(const std::string& name, const std::string& inventory_name, const VmEndpoint& ep,
                       const VmTemplate& t);

}  // namespace runner
