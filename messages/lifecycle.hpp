#pragma once
// Messages of the scenario lifecycle: leases, provisioning, playbook runs.
#include <cstdint>
#include <string>
#include <vector>

#include "messages/host.hpp"

namespace runner {

// RAM broker ---------------------------------------------------------------
struct LeaseRequest {
  std::string holder;              // "key#iteration", for logs
  std::uint64_t mib = 1;           // host mode: one slot
  std::vector<std::string> hosts;  // never two leases on the same host at once
};

struct LeaseGrant {
  std::uint64_t id = 0;
};

// Provisioner --------------------------------------------------------------
struct ProvisionRequest {
  std::string benchmark_id;
  std::string scenario_key;
  std::string tenant_id;
  std::vector<std::string> host_ids;       // hosts[].host_id and agents[].host_id
  std::vector<std::string> host_names;     // inventory name for host_ids[i] ("" = DB name)
  std::vector<std::string> agent_ids;      // agents[].agent_id
  // Run-wide agent overrides ("" = keep): applied durably, restored at teardown.
  std::string main_engine, secondary_engine, specialty;
};

struct ProvisionResult {
  bool ok = false;
  std::string error;
  std::vector<HostRow> hosts;
  std::vector<std::string> agent_ids;
  std::vector<std::string> agent_host_ids;  // host of agent_ids[i]
};

// Ansible ------------------------------------------------------------------
struct PlaybookRequest {
  std::string playbook, inventory, workdir, extra_vars_json, log_path;
  std::uint32_t timeout_s = 600;
};

struct PlaybookOutcome {
  bool ok = false;
  int exit_code = -1;
  bool timed_out = false;
  std::string error;
  double seconds = 0;
};

}  // namespace runner
