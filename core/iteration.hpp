#pragma once
// One scenario-iteration, without actors: everything it needs built (lease, host
// and clone requests, playbook requests, the ticket) and everything it produces
// judged and recorded (verdict, compliance, the ScenarioReport, error reports).
// The scenario actor only sequences these and carries their messages.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/phase_log.hpp"
#include "core/run_settings.hpp"
#include "messages/execution.hpp"
#include "messages/lifecycle.hpp"
#include "messages/report.hpp"

namespace runner {

using SystemClock = std::chrono::system_clock;

// Console name of an iteration: "key #i".
std::string iteration_name(const std::string& key, int iteration);
// <runs_dir>/<benchmark>/<key>-<i>.log, the key made safe for a file name.
std::string iteration_log_path(const RunSettings& run, const Scenario& s, int iteration);

// The scenario's own inventory when it brings one, else <log stem>.inventory.yml
// beside the iteration log (`generated` is then true: the runner writes it).
struct InventoryPlace {
  std::string path;
  bool generated = false;
};
InventoryPlace inventory_place(const Scenario& s, const std::string& log_path);

// --- what the iteration asks for ------------------------------------------------
// The broker's lease: host mode, a slot plus exclusive use of the scenario's hosts;
// VM modes, the clones' memory (templates were checked before the run).
LeaseRequest lease_request(const RunSettings& run, const ScenarioJob& job);
// Host mode: the scenario's hosts and agents by id, with the run's overrides.
// An error text when the scenario lacks the ids host mode needs.
std::string host_mode_problem(const Scenario& s);
ProvisionRequest provision_request(const RunSettings& run, const Scenario& s, int iteration);
// VM modes: host `index` of the scenario as a clone of its template.
VmUpRequest vm_up_request(const RunSettings& run, const Scenario& s, std::size_t index, int iteration);
// VM modes: the clones as ephemeral host rows, the scenario's agents on them.
RegisterRequest register_request(const RunSettings& run, const Scenario& s, std::vector<HostRow> clones);
// One of the scenario's playbooks (`phase`: prepare | restore | validate) with the
// extra vars of core/playbook_vars.
PlaybookRequest playbook_request(const RunSettings& run, const Scenario& s, int iteration, const std::string& phase,
                                 const std::string& inventory, const std::string& log_path);
// `chaos --kill-command`: the kill playbook on the iteration's hosts, the command in
// its extra vars (phase "chaos"), its output appended to the iteration's log, bounded
// by chaos_kill_timeout_s (or RUNNER_PLAYBOOK_TIMEOUT_S when shorter).
inline constexpr std::uint32_t chaos_kill_timeout_s = 120;
PlaybookRequest chaos_kill_request(const RunSettings& run, const Scenario& s, int iteration,
                                   const std::string& inventory, const std::string& log_path);
// The ticket and how to wait for its job. `now` fills {{schedule_time}}.
ExecuteRequest execute_request(const RunSettings& run, const Scenario& s, int iteration, const Provisioned& hosts,
                               SystemClock::time_point now);

// --- what the iteration produces ----------------------------------------------------
// A report before any phase ran: identity filled in, status "" until judged.
ScenarioReport new_report(const RunSettings& run, const Scenario& s, int iteration, SystemClock::time_point now);
// A report for an iteration that ended without running its phases (for example a
// crashed scenario actor): status error with this kind and message.
ScenarioReport error_report(const RunSettings& run, const Scenario& s, int iteration, const std::string& kind,
                            const std::string& message);
// Records an error; the first one is the cause and is kept.
void record_error(ScenarioReport& r, const std::string& kind, const std::string& message);

// The rules of scenario.json and the guards against the job the platform produced.
struct Judgement {
  bool passed = false;             // required rules passed and no guard tripped
  std::string failure;             // why not, for error_message ("" when passed)
  std::string rules_json = "[]";
  std::optional<double> compliance;
};
Judgement judge(const Scenario& s, const ExecuteOutcome& outcome);
// Writes the job's facts and the judgement into the report; `validate` is the
// validate.yml outcome (nullopt: the scenario has none; `validate_error`: it could
// not run). Sets status passed | failed.
void record_verdict(ScenarioReport& r, const ExecuteOutcome& outcome, const Judgement& j,
                    const std::optional<PlaybookOutcome>& validate, const std::string& validate_error = "");
// "exit code 2", "timed out after 600 s".
std::string describe(const PlaybookOutcome& o);
// The end: phases, hosts and agents, times.
void finalize_report(ScenarioReport& r, const PhaseLog& phases, const Provisioned& hosts, const std::string& log_path,
                     SystemClock::time_point started, SystemClock::time_point now);

}  // namespace runner
