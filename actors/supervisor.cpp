#include "actors/supervisor.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <deque>
#include <map>
#include <set>

#include "actors/scenario_actor.hpp"
#include "adapters/log/logging.hpp"
#include "core/iteration.hpp"
#include "core/progress.hpp"
#include "core/retries.hpp"

namespace runner {
namespace {

struct supervisor_state {
  std::vector<ScenarioJob> plan;
  std::size_t next = 0;  // next plan item to spawn
  std::shared_ptr<const RunSettings> run;
  RunActors actors;
  std::size_t window = 1;
  /// Live scenario actors and the plan item each runs.
  std::map<caf::actor_addr, std::pair<scenario_actor, std::size_t>> live;
  std::map<std::size_t, ScenarioReport> reports;  // by plan index, so results keep plan order
  bool interrupted = false;
  bool stopping = false;  // --max-failures reached: no new iteration starts, the running ones finish
  std::size_t not_passed = 0;
  std::set<std::size_t> not_started;  // admitted by no one (the broker closed): no report, no error
  std::deque<std::size_t> retry;      // --retries: plan items to run again, before any new one
  std::map<std::size_t, ScenarioReport> retry_last;  // the attempt each queued retry follows
  std::set<caf::actor_addr> answered;  // scenario actors whose reply came (so their end is no crash)
  std::set<caf::actor_addr> asking;    // scenario actors asked for their phase, no answer yet
  std::size_t pending_writes = 0;     // attempts this actor stores itself (retry_deferred), not yet durable
  // The progress display (a terminal only): what each running iteration said last,
  // and the broker's lease in VM modes.
  std::map<std::size_t, RunningIteration> running;
  std::uint64_t clones = 0, leased_mib = 0, budget_mib = 0;
  bool done = false;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  caf::response_promise promise;
  static inline const char* name = "supervisor";
};

using supervisor_pointer = supervisor_actor::stateful_pointer<supervisor_state>;

// The TTY status block (core/progress.hpp): the bar with verdicts so far, elapsed
// time and ETA, the broker's lease in VM modes, a line per admitted iteration. Drawn
// from what refresh_progress last heard (at most a second old).
void show_status(supervisor_pointer self) {
  auto& st = self->state;
  if (!stdout_is_tty() || st.done) return;  // never again once the run's reply is out
  ProgressView v;
  EtaInput eta;
  for (const auto& [i, r] : st.reports) {
    (r.status == IterationStatus::passed ? v.passed : r.status == IterationStatus::failed ? v.failed : v.errors)++;
    eta.finished_ms.push_back(r.duration_ms);
  }
  v.done = st.reports.size();
  v.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - st.started).count();
  // Still to run: the live iterations whose report has not come (the admitted ones
  // with their time so far), the queued retries and, unless no new one starts, the
  // rest of the plan.
  std::size_t admitted = 0, live = 0;
  for (const auto& [addr, entry] : st.live) {
    if (st.answered.count(addr)) continue;
    ++live;
    const std::size_t index = entry.second;
    auto it = st.running.find(index);
    const bool known = it != st.running.end() && it->second.elapsed_ms >= 0;
    eta.expected_ms.push_back(st.plan[index].expected_ms);
    eta.elapsed_ms.push_back(known ? std::optional<std::int64_t>(it->second.elapsed_ms) : std::nullopt);
    if (known) {
      ++admitted;
      v.running.push_back(it->second);
    } else if (it != st.running.end()) {
      ++v.queued;
    }
  }
  std::size_t later = st.retry.size();
  for (std::size_t i = 0; i < st.retry.size(); ++i) eta.expected_ms.push_back(st.plan[st.retry[i]].expected_ms);
  if (!st.interrupted && !st.stopping) {
    later += st.plan.size() - st.next;
    for (std::size_t i = st.next; i < st.plan.size(); ++i) eta.expected_ms.push_back(st.plan[i].expected_ms);
  }
  v.total = v.done + live + later;
  // Lanes: as many as run at once now (in parallel runs the broker decides), at least one.
  eta.parallel = std::max<std::size_t>(1, std::min(st.window, admitted ? admitted : st.window));
  v.eta_ms = estimate_remaining_ms(eta);
  v.vm = st.run->vm != nullptr;
  v.clones = st.clones;
  v.leased_mib = st.leased_mib;
  v.budget_mib = st.budget_mib;
  v.note = st.interrupted ? "interrupted" : st.stopping ? "stopping: --max-failures" : "";
  const std::size_t columns = terminal_columns();
  std::string block;
  for (const auto& line : progress_lines(v, columns > 1 ? columns - 1 : columns)) block += (block.empty() ? "" : "\n") + line;
  set_status_line(block);
}

// Asks every running iteration without a question pending for its phase, and the
// broker for its lease; the answers show at the next redraw. Only on a terminal: a CI
// log never shows it.
void refresh_progress(supervisor_pointer self) {
  if (!stdout_is_tty()) return;
  auto& st = self->state;
  for (const auto& [addr, entry] : st.live) {
    if (st.answered.count(addr) || !st.asking.insert(addr).second) continue;
    const std::size_t index = entry.second;
    const auto& job = st.plan[index];
    const caf::actor_addr who = addr;
    self->request(entry.first, std::chrono::seconds(2), phase_atom::value)
        .then(
            [=](const std::string& phase, std::int64_t elapsed_ms) {
              self->state.asking.erase(who);
              if (!self->state.live.count(who) || self->state.answered.count(who)) return;  // finished meanwhile
              self->state.running[index] = {iteration_name(job.scenario->key, job.iteration), phase, elapsed_ms};
            },
            [=](const caf::error&) { self->state.asking.erase(who); });  // it ended or is busy: asked again later
  }
  if (st.run->vm)
    self->request(st.actors.broker, std::chrono::seconds(2), usage_atom::value)
        .then(
            [=](std::uint64_t clones, std::uint64_t mib, std::uint64_t budget) {
              self->state.clones = clones;
              self->state.leased_mib = mib;
              self->state.budget_mib = budget;
            },
            [](const caf::error&) {});
}

void maybe_done(supervisor_pointer self) {
  auto& st = self->state;
  show_status(self);
  if (!st.live.empty() || st.pending_writes > 0 || !st.retry.empty() ||
      (st.next < st.plan.size() && !st.interrupted && !st.stopping))
    return;
  if (st.done) return;
  st.done = true;
  set_status_line("");
  std::vector<ScenarioReport> out;
  for (auto& [i, r] : st.reports) out.push_back(std::move(r));
  st.promise.deliver(std::move(out));
}

// An attempt its scenario actor left to us (retry_deferred) that will not run again:
// it is the iteration's report, stored here, and the run does not end before it is
// durable.
void store_deferred(supervisor_pointer self, const ScenarioReport& report) {
  auto& st = self->state;
  ++st.pending_writes;
  auto written = [=] {
    --self->state.pending_writes;
    maybe_done(self);
  };
  self->request(st.actors.reporter, caf::infinite, report_atom::value, report)
      .then([=](bool) { written(); }, [=](const caf::error&) { written(); });
}

void count(supervisor_pointer self, std::size_t index, ScenarioReport report) {
  auto& st = self->state;
  if (report.status != IterationStatus::passed) ++st.not_passed;
  st.reports[index] = std::move(report);
}

// Interrupted, or --max-failures reached: the queued retries will not run; the
// attempts they follow are their iterations' reports.
void give_up_retries(supervisor_pointer self) {
  auto& st = self->state;
  for (std::size_t index : st.retry) {
    auto last = st.retry_last.find(index);
    store_deferred(self, last->second);
    count(self, index, std::move(last->second));
    st.retry_last.erase(last);
  }
  // Retries already started keep their entry: if the broker now refuses them, the
  // attempt they follow is stored when their "not started" comes (record).
  st.retry.clear();
}

void record(supervisor_pointer self, std::size_t index, ScenarioReport report) {
  auto& st = self->state;
  if (report.error_kind == "not_started") {  // never admitted: nothing to report
    // ... unless it was a retry: the attempt it follows is the iteration's report.
    if (auto last = st.retry_last.find(index); last != st.retry_last.end()) {
      ScenarioReport earlier = std::move(last->second);
      st.retry_last.erase(last);
      store_deferred(self, earlier);
      count(self, index, std::move(earlier));
      return;
    }
    st.not_started.insert(index);
    return;
  }
  st.retry_last.erase(index);  // a later attempt has its own report
  if (retry_deferred(report, st.plan[index], *st.run)) {
    if (!st.interrupted && !st.stopping) {
      auto& job = st.plan[index];
      job.prior_attempts = with_attempt(job.prior_attempts, report, job.attempt);
      ++job.attempt;
      spdlog::warn("{}: infrastructure error ({}); --retries: running it again, attempt {} of {}",
                   iteration_name(job.scenario->key, job.iteration), report.error_kind, job.attempt,
                   st.run->retries + 1);
      st.retry.push_back(index);
      st.retry_last[index] = std::move(report);
      return;
    }
    store_deferred(self, report);
  }
  count(self, index, std::move(report));
  // --max-failures: no new iteration from here on; those admitted finish and restore,
  // those waiting for RAM are not started (the broker closes to them).
  if (st.run->max_failures && st.not_passed >= st.run->max_failures && !st.stopping && !st.interrupted) {
    st.stopping = true;
    spdlog::warn("--max-failures: {} scenario-iteration(s) did not pass; no new iteration starts, the running ones "
                 "finish",
                 st.not_passed);
    self->send(st.actors.broker, close_atom::value);
    give_up_retries(self);
  }
}

void spawn_more(supervisor_pointer self) {
  auto& st = self->state;
  while (!st.interrupted && !st.stopping && (!st.retry.empty() || st.next < st.plan.size()) &&
         st.live.size() < st.window) {
    std::size_t index;
    if (!st.retry.empty()) {  // a retry first: its iteration has waited longest
      index = st.retry.front();
      st.retry.pop_front();
    } else {
      index = st.next++;
    }
    auto actor = spawn_scenario(self->system(), st.plan[index], st.run, st.actors);
    self->monitor(actor);
    st.live.emplace(actor.address(), std::make_pair(actor, index));
    self->request(actor, caf::infinite, run_atom::value).then([=](ScenarioReport& r) {
      self->state.answered.insert(actor.address());
      record(self, index, std::move(r));
      show_status(self);
    });
  }
  maybe_done(self);
}

}  // namespace

supervisor_actor::behavior_type supervisor(supervisor_pointer self, std::vector<ScenarioJob> plan,
                                           std::shared_ptr<const RunSettings> run, RunActors actors,
                                           std::size_t window) {
  auto& st = self->state;
  st.plan = std::move(plan);
  st.run = std::move(run);
  st.actors = std::move(actors);
  st.window = std::max<std::size_t>(window, 1);
  // A scenario actor's end: normally its report arrived first; otherwise it crashed.
  self->set_down_handler([=](const caf::down_msg& dm) {
    auto& st = self->state;
    auto it = st.live.find(dm.source);
    if (it == st.live.end()) return;
    const std::size_t index = it->second.second;
    st.live.erase(it);
    st.running.erase(index);
    st.asking.erase(dm.source);
    // Its report arrived (a verdict, a deferred attempt or "not started"), or it crashed.
    const bool answered = st.answered.erase(dm.source) > 0;
    if (!answered && !(dm.reason == caf::exit_reason::normal && st.interrupted)) {
      const auto& job = st.plan[index];
      const std::string why = self->system().render(dm.reason);
      spdlog::error("{}: scenario actor died ({}); recorded as an internal error",
                    iteration_name(job.scenario->key, job.iteration), why);
      ScenarioReport r = error_report(*st.run, *job.scenario, job.iteration, "internal", "scenario actor died: " + why);
      r.attempts_json = job.prior_attempts;
      self->request(st.actors.reporter, caf::infinite, report_atom::value, r).then([](bool) {});
      // Host mode: what it held (hosts, agent overrides) goes back, or other
      // iterations and runners would wait for it forever. Both are idempotent.
      if (!st.run->vm) {
        const ProvisionRequest held = provision_request(*st.run, *job.scenario, job.iteration);
        self->request(st.actors.provisioner, caf::infinite, teardown_atom::value, st.run->benchmark_id, held.host_ids,
                      held.agent_ids)
            .then([](bool) {});
      }
      record(self, index, std::move(r));
    }
    spawn_more(self);
  });
  return {
      [=](run_atom) -> caf::result<std::vector<ScenarioReport>> {
        self->state.promise = self->make_response_promise<std::vector<ScenarioReport>>();
        self->send(self, tick_atom::value);
        spawn_more(self);
        return self->state.promise;
      },
      [=](tick_atom) {
        if (self->state.done) return;
        show_status(self);
        refresh_progress(self);
        self->delayed_send(self, std::chrono::seconds(1), tick_atom::value);
      },
      [=](interrupt_atom) {
        auto& st = self->state;
        if (st.interrupted) {
          // The second interrupt: the scenario actors tell their pollers to stop waiting
          // on the engine (the playbooks were already killed by the signal watcher).
          spdlog::warn("second interrupt: not waiting for the engine any more; playbooks killed, agent "
                       "settings restored, reports written (a third interrupt exits at once)");
        } else {
          st.interrupted = true;
          spdlog::warn("interrupted: no new scenarios start; cancelling running jobs, restoring hosts (interrupt "
                       "again to stop waiting for the engine and playbooks)");
          self->send(st.actors.broker, close_atom::value);
          give_up_retries(self);
        }
        for (auto& [addr, entry] : st.live) self->send(entry.first, cancel_atom::value);
        maybe_done(self);
      },
  };
}

supervisor_actor spawn_supervisor(caf::actor_system& sys, std::vector<ScenarioJob> plan,
                                  std::shared_ptr<const RunSettings> run, RunActors actors, std::size_t window) {
  return sys.spawn(supervisor, std::move(plan), std::move(run), std::move(actors), window);
}

}  // namespace runner
