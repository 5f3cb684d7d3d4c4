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
  std::uint64_t expected_ms = 0;   // duration hint for packing (0 = unknown)
  std::uint32_t clones = 0;        // VM modes: clones this lease pays for (capacity record)
};

struct LeaseGrant {
  std::uint64_t id = 0;
};

// Provisioner --------------------------------------------------------------
struct ProvisionRequest {
  std::string benchmark_id;
  std::string scenario_key;
  int iteration = 1;
  std::string organization_id;             // hosts and agents are the organization's
  std::vector<std::string> host_ids;       // hosts[].host_id and agents[].host_id
  std::vector<std::string> host_names;     // inventory name for host_ids[i] ("" = DB name)
  std::vector<std::string> agent_ids;      // agents[].agent_id
  // Run-wide agent overrides ("" = keep): applied durably, restored at teardown.
  std::string main_engine, secondary_engine, specialty;
};

// What a scenario-iteration runs on: the provisioner's reply.
struct Provisioned {
  std::vector<HostRow> hosts;
  std::vector<std::string> agent_ids;
  std::vector<std::string> agent_host_ids;  // host of agent_ids[i]
};

// The platform store's answer: the rows, or why they cannot be used (an unknown
// id, a host of another organization). The provisioner turns `error` into a reply error.
struct ProvisionResult : Provisioned {
  bool ok = false;
  std::string error;
};

// VM modes -----------------------------------------------------------------
// One scenario host as a clone of its template.
struct VmUpRequest {
  std::string template_name, clone_name, host_name;
  std::string benchmark_id, scenario_key;  // labels on the clone (role=run)
  int iteration = 1;
};

// The rows of a VM-mode scenario: clones as ephemeral hosts, its agents as
// ephemeral agents on them (agent_host_names[i] names a hosts[].inventory_name).
struct RegisterRequest {
  std::string organization_id, benchmark_id;
  std::vector<HostRow> hosts;
  std::vector<std::string> agent_names, agent_host_names, agent_specialties;
  std::string main_engine, secondary_engine;  // run overrides ("" = tenant default)
};

// Ansible ------------------------------------------------------------------
struct PlaybookRequest {
  std::string playbook, inventory, workdir, extra_vars_json, log_path;
  std::uint32_t timeout_s = 600;
};

// A playbook that ran (one that could not start is a `playbook` error instead).
struct PlaybookOutcome {
  bool passed = false;  // exit code 0 within the timeout
  int exit_code = -1;
  bool timed_out = false;
  double seconds = 0;
};

}  // namespace runner
