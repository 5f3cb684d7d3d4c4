#pragma once
// Private to the scenario actor's two files (actors/scenario_actor.cpp: lease to
// validate; actors/scenario_wind_down.cpp: undo and report): its state, the
// helpers both use, and the steps one file hands to the other. Includes CAF: never
// include this outside those two files.
#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/run_context.hpp"
#include "core/iteration.hpp"

namespace runner::scenario_detail {

using Clock = std::chrono::system_clock;

struct scenario_state {
  std::shared_ptr<const RunSettings> run;
  RunActors actors;
  ScenarioJob job;
  caf::response_promise promise;
  ansible_worker_actor ansible;
  vm_worker_actor vm;           // VM modes
  gateway_poller_actor poller;  // while executing
  ScenarioReport report;
  PhaseLog phases;
  Provisioned hosts;
  std::string inventory, log_path;
  bool inventory_generated = false;  // ours (it may hold connection secrets): deleted at the end
  Clock::time_point started = Clock::now();
  bool interrupted = false;
  // What wind_down must still undo, in its order:
  bool prepared = false;               // prepare began: restore.yml (host mode)
  bool platform_held = false;          // host mode: hosts held, the run's agent overrides applied
  std::optional<Clock::time_point> busy_since;  // host mode: waiting for another runner's host
  bool registered = false;             // VM modes: the clones' host and agent rows
  std::vector<std::string> clones;     // VM modes: clones to destroy
  std::optional<std::uint64_t> lease;  // given back last
  static inline const char* name = "scenario";
};

using scenario_pointer = scenario_actor::stateful_pointer<scenario_state>;

inline const Scenario& sc(scenario_pointer self) { return *self->state.job.scenario; }
inline int iteration(scenario_pointer self) { return self->state.job.iteration; }
inline std::string who(scenario_pointer self) { return iteration_name(sc(self).key, iteration(self)); }
inline bool vm_mode(scenario_pointer self) { return self->state.run->vm != nullptr; }

inline PlaybookRequest playbook(scenario_pointer self, const std::string& phase) {
  const auto& st = self->state;
  return playbook_request(*st.run, sc(self), iteration(self), phase, st.inventory, st.log_path);
}

inline void begin(scenario_pointer self, const char* phase) {
  self->state.phases.begin(phase, Clock::now());
  spdlog::debug("{}: {} ...", who(self), phase);
}

inline void end(scenario_pointer self, const std::string& outcome, const std::string& note = "") {
  if (const PhaseRecord* p = self->state.phases.end(outcome, Clock::now()))
    spdlog::info("{}: {} {} ({:.1f} s){}", who(self), p->name, outcome, p->duration_ms / 1000.0,
                 note.empty() ? "" : " - " + note);
}

// A request whose answer does not change what comes next (clean-up, the silent
// restore, the report): `next` runs either way.
template <class Reply, class Handle, class... Ts>
void then_next(scenario_pointer self, const Handle& to, void (*next)(scenario_pointer), Ts&&... xs) {
  self->request(to, caf::infinite, std::forward<Ts>(xs)...)
      .then([=](const Reply&) { next(self); }, [=](const caf::error&) { next(self); });
}

// Handed from one file to the other.
void wind_down(scenario_pointer self);  // scenario_wind_down.cpp: undo what was begun, then report

}  // namespace runner::scenario_detail
