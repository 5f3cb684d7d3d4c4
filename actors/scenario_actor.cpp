// The scenario actor: sequencing and messages only. What each phase asks for and
// what the iteration produces is built and judged in core/iteration; here the
// phases follow one another in lifecycle order, and every failure takes one path
// (fail → wind_down) that undoes exactly what was begun.
#include "actors/scenario_actor.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

#include "actors/ansible_worker.hpp"
#include "actors/gateway_poller.hpp"
#include "actors/system_config.hpp"
#include "actors/vm_worker.hpp"
#include "adapters/ansible/inventory.hpp"
#include "adapters/engine/engine_api.hpp"
#include "core/iteration.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

namespace runner {
namespace {

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
  Clock::time_point started = Clock::now();
  bool interrupted = false;
  // What wind_down must still undo, in its order:
  bool prepared = false;               // prepare began: restore.yml (host mode)
  bool overrides = false;              // the run's agent overrides were applied
  bool registered = false;             // VM modes: the clones' host and agent rows
  std::vector<std::string> clones;     // VM modes: clones to destroy
  std::optional<std::uint64_t> lease;  // given back last
  static inline const char* name = "scenario";
};

using scenario_pointer = scenario_actor::stateful_pointer<scenario_state>;

const Scenario& sc(scenario_pointer self) { return *self->state.job.scenario; }
int iteration(scenario_pointer self) { return self->state.job.iteration; }
std::string who(scenario_pointer self) { return iteration_name(sc(self).key, iteration(self)); }
bool vm_mode(scenario_pointer self) { return self->state.run->vm != nullptr; }

PlaybookRequest playbook(scenario_pointer self, const std::string& phase) {
  const auto& st = self->state;
  return playbook_request(*st.run, sc(self), iteration(self), phase, st.inventory, st.log_path);
}

void begin(scenario_pointer self, const char* phase) {
  self->state.phases.begin(phase, Clock::now());
  spdlog::debug("{}: {} ...", who(self), phase);
}

void end(scenario_pointer self, const std::string& outcome, const std::string& note = "") {
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

void provision(scenario_pointer self);
void prepare(scenario_pointer self);
void flush(scenario_pointer self);
void execute(scenario_pointer self);
void validate(scenario_pointer self, const ExecuteOutcome& outcome);
void wind_down(scenario_pointer self);
void report_and_quit(scenario_pointer self);

// The one failure path: the open phase ends (`outcome`), the first cause is
// recorded, and what was begun is undone.
void fail(scenario_pointer self, const std::string& kind, const std::string& message,
          const std::string& outcome = "error") {
  end(self, outcome, message);
  record_error(self->state.report, kind, message);
  wind_down(self);
}

// An iteration the run never started (admission closed by an interrupt): no report.
void not_started(scenario_pointer self) {
  auto& st = self->state;
  if (st.lease) self->send(st.actors.broker, release_atom::value, *st.lease);
  st.report.error_kind = "not_started";
  st.promise.deliver(st.report);
  self->quit();
}

// --- lease ------------------------------------------------------------------------
void lease(scenario_pointer self) {
  auto& st = self->state;
  self->request(st.actors.broker, caf::infinite, lease_request(*st.run, st.job))
      .then(
          [=](const LeaseGrant& g) {
            auto& st = self->state;
            st.lease = g.id;
            st.started = Clock::now();
            st.report.started_at = engine_api::iso8601(st.started);
            if (st.interrupted) return not_started(self);  // the grant crossed the interrupt
            const auto& w = st.actors.workers;
            auto& sys = self->system();
            st.ansible = w.ansible ? w.ansible(sys) : spawn_ansible_worker(sys, st.run->detach_workers);
            self->link_to(st.ansible);  // a crash of this actor takes its workers along
            if (vm_mode(self)) {
              st.vm = w.vm ? w.vm(sys) : spawn_vm_worker(sys, st.run->vm, st.run->detach_workers);
              self->link_to(st.vm);
            }
            spdlog::info("{}: start ({})", who(self), sc(self).title);
            provision(self);
          },
          [=](const caf::error& e) {
            if (is_runner_error(e, runner_errc::admission_closed)) return not_started(self);
            fail(self, "internal", "no lease: " + error_text(self->system(), e));
          });
}

// --- provision: hosts and agents by id, or a clone per host in VM modes ---------------
void provisioned(scenario_pointer self, Provisioned hosts) {
  auto& st = self->state;
  st.hosts = std::move(hosts);
  const auto place = inventory_place(sc(self), st.log_path);
  st.inventory = place.path;
  if (place.generated) std::ofstream(st.inventory) << inventory_json(st.hosts.hosts);
  end(self, "ok", std::to_string(st.hosts.hosts.size()) + " host(s), " + std::to_string(st.hosts.agent_ids.size()) +
                      " agent(s)");
  prepare(self);
}

void register_clones(scenario_pointer self, std::vector<HostRow> clones) {
  auto& st = self->state;
  if (st.interrupted) return fail(self, "interrupted", "run interrupted while provisioning");
  self->request(st.actors.provisioner, caf::infinite, register_atom::value,
                register_request(*st.run, sc(self), std::move(clones)))
      .then(
          [=](Provisioned& rows) {
            self->state.registered = true;
            provisioned(self, std::move(rows));
          },
          [=](const caf::error& e) { fail(self, "provision", error_text(self->system(), e)); });
}

void bring_up_clone(scenario_pointer self, std::size_t index, std::shared_ptr<std::vector<HostRow>> up) {
  auto& st = self->state;
  if (index == sc(self).hosts.size()) return register_clones(self, std::move(*up));
  if (st.interrupted) return fail(self, "interrupted", "run interrupted while provisioning");
  VmUpRequest req = vm_up_request(*st.run, sc(self), index, iteration(self));
  st.clones.push_back(req.clone_name);  // destroyed at teardown even if the reply never comes
  spdlog::debug("{}: cloning template-{} as {}", who(self), req.template_name, req.clone_name);
  self->request(st.vm, caf::infinite, vm_up_atom::value, std::move(req))
      .then(
          [=](HostRow& host) {
            up->push_back(std::move(host));
            bring_up_clone(self, index + 1, up);
          },
          [=](const caf::error& e) {
            fail(self, "provision", "host " + sc(self).hosts[index].host_name + ": " + error_text(self->system(), e));
          });
}

void provision(scenario_pointer self) {
  auto& st = self->state;
  begin(self, "provision");
  if (vm_mode(self)) return bring_up_clone(self, 0, std::make_shared<std::vector<HostRow>>());
  if (auto why = host_mode_problem(sc(self)); !why.empty()) return fail(self, "provision", why);
  self->request(st.actors.provisioner, caf::infinite, provision_atom::value, provision_request(*st.run, sc(self)))
      .then(
          [=](Provisioned& rows) {
            self->state.overrides = self->state.run->overrides_agents();
            provisioned(self, std::move(rows));
          },
          [=](const caf::error& e) { fail(self, "provision", error_text(self->system(), e)); });
}

// --- prepare: restore.yml silently (a reused host), then prepare.yml -----------------
void run_prepare(scenario_pointer self) {
  if (!sc(self).playbooks.prepare) {
    end(self, "ok", "no prepare.yml");
    return flush(self);
  }
  self->request(self->state.ansible, caf::infinite, playbook_atom::value, playbook(self, "prepare"))
      .then(
          [=](const PlaybookOutcome& o) {
            if (o.passed) {
              end(self, "ok");
              return flush(self);
            }
            fail(self, "prepare", "prepare.yml failed (" + describe(o) + "); see " + self->state.log_path, "failed");
          },
          [=](const caf::error& e) {
            fail(self, "prepare",
                 "prepare.yml failed (" + error_text(self->system(), e) + "); see " + self->state.log_path, "failed");
          });
}

void prepare(scenario_pointer self) {
  auto& st = self->state;
  if (st.interrupted) return fail(self, "interrupted", "run interrupted before prepare");
  begin(self, "prepare");
  st.prepared = true;  // from here on, restore.yml runs at the end whatever happens
  // A fresh clone has no leftovers; a reused host may, and they go first (the
  // outcome only lands in the log).
  if (!sc(self).playbooks.restore || vm_mode(self)) return run_prepare(self);
  then_next<PlaybookOutcome>(self, st.ansible, run_prepare, playbook_atom::value, playbook(self, "restore"));
}

// --- flush: every agent's memory, before the ticket ------------------------------------
void flush(scenario_pointer self) {
  auto& st = self->state;
  if (st.interrupted) return fail(self, "interrupted", "run interrupted before the ticket");
  begin(self, "flush");
  const auto& agents = st.hosts.agent_ids;
  if (agents.empty()) {
    end(self, "ok", "no agents");
    return execute(self);
  }
  auto remaining = std::make_shared<std::size_t>(agents.size());
  auto failure = std::make_shared<std::string>();
  auto settle = [=] {
    if (--*remaining > 0) return;
    if (!failure->empty()) return fail(self, "flush", *failure);
    end(self, "ok");
    execute(self);
  };
  for (const auto& id : agents)
    self->request(st.actors.http, caf::infinite, engine_api::flush_agent({st.run->engine_url, st.run->engine_api_key}, id))
        .then(
            [=](const HttpResponse& r) {
              if ((r.status < 200 || r.status >= 300) && failure->empty())
                *failure = "flush of agent " + id + ": " + (r.status ? "HTTP " + std::to_string(r.status) : r.error);
              settle();
            },
            [=](const caf::error& e) {
              if (failure->empty()) *failure = error_text(self->system(), e);
              settle();
            });
}

// --- execute: the ticket, then its job until it ends ---------------------------------
void execute(scenario_pointer self) {
  auto& st = self->state;
  if (st.interrupted) return fail(self, "interrupted", "run interrupted before the ticket");
  begin(self, "execute");
  const auto& make_poller = st.actors.workers.poller;
  st.poller = make_poller ? make_poller(self->system())
                          : spawn_gateway_poller(self->system(), st.actors.http, PollerSettings::of_run(*st.run));
  self->request(st.poller, caf::infinite, execute_atom::value,
                execute_request(*st.run, sc(self), iteration(self), st.hosts, Clock::now()))
      .then(
          [=](const ExecuteOutcome& o) {
            self->state.poller = nullptr;
            end(self, "ok", "job " + o.job_id + " " + o.job.status + ", resolution " +
                                (o.job.resolution_status.empty() ? "none" : o.job.resolution_status) +
                                (o.guard_violation ? ", GUARD: " + o.guard_detail : ""));
            validate(self, o);
          },
          [=](const caf::error& e) {
            auto& st = self->state;
            st.poller = nullptr;
            st.report.ticket_id = error_field(e, 1);
            st.report.job_id = error_field(e, 2);
            if (!is_runner_error(e))
              return fail(self, "internal", "gateway poller failed: " + error_text(self->system(), e));
            fail(self, to_string(static_cast<runner_errc>(e.code())), error_text(self->system(), e));
          });
}

// --- validate: the rules, the guards, then validate.yml --------------------------------
void judged(scenario_pointer self) {
  end(self, to_string(self->state.report.status));
  wind_down(self);
}

void validate(scenario_pointer self, const ExecuteOutcome& outcome) {
  auto& st = self->state;
  begin(self, "validate");
  if (!st.run->crash_scenario_key.empty() && st.run->crash_scenario_key == sc(self).key)
    throw std::runtime_error("test hook: crash requested for " + sc(self).key);
  const Judgement judgement = judge(sc(self), outcome);
  if (!sc(self).playbooks.validate) {
    record_verdict(st.report, outcome, judgement, std::nullopt);
    return judged(self);
  }
  self->request(st.ansible, caf::infinite, playbook_atom::value, playbook(self, "validate"))
      .then(
          [=](const PlaybookOutcome& o) {
            record_verdict(self->state.report, outcome, judgement, o);
            judged(self);
          },
          [=](const caf::error& e) {
            record_verdict(self->state.report, outcome, judgement, std::nullopt, error_text(self->system(), e));
            judged(self);
          });
}

// --- wind down: undo what was begun, in order; never changes the verdict -------------
void destroy_clones(scenario_pointer self) {
  auto& st = self->state;
  if (st.clones.empty()) return report_and_quit(self);
  begin(self, "teardown");
  self->request(st.vm, caf::infinite, vm_down_atom::value, st.clones)
      .then(
          [=](bool all) {
            self->state.clones.clear();
            end(self, all ? "ok" : "failed");
            report_and_quit(self);
          },
          [=](const caf::error& e) {
            end(self, "failed", error_text(self->system(), e));
            report_and_quit(self);
          });
}

void unregister_clones(scenario_pointer self) {
  auto& st = self->state;
  if (!st.registered) return destroy_clones(self);
  st.registered = false;
  std::vector<std::string> host_ids;
  for (const auto& h : st.hosts.hosts) host_ids.push_back(h.id);
  then_next<bool>(self, st.actors.provisioner, destroy_clones, unregister_atom::value, host_ids, st.hosts.agent_ids);
}

void undo_overrides(scenario_pointer self) {
  auto& st = self->state;
  if (!st.overrides) return unregister_clones(self);
  st.overrides = false;
  then_next<bool>(self, st.actors.provisioner, unregister_clones, teardown_atom::value, st.run->benchmark_id,
                  st.hosts.agent_ids);
}

void wind_down(scenario_pointer self) {
  auto& st = self->state;
  // VM modes: the clone is destroyed, which restores better than restore.yml could.
  if (!st.prepared || !sc(self).playbooks.restore || vm_mode(self)) return undo_overrides(self);
  st.prepared = false;
  begin(self, "restore");
  self->request(st.ansible, caf::infinite, playbook_atom::value, playbook(self, "restore"))
      .then(
          [=](const PlaybookOutcome& o) {
            if (!o.passed) spdlog::warn("{}: restore.yml failed ({}); see {}", who(self), describe(o), self->state.log_path);
            end(self, o.passed ? "ok" : "failed");
            undo_overrides(self);
          },
          [=](const caf::error& e) {
            spdlog::warn("{}: restore.yml did not run ({}); see {}", who(self), error_text(self->system(), e),
                         self->state.log_path);
            end(self, "failed", error_text(self->system(), e));
            undo_overrides(self);
          });
}

// --- report: durable (database or spool) before the supervisor hears of it ---------------
void reply_and_quit(scenario_pointer self) {
  auto& st = self->state;
  if (st.lease) self->send(st.actors.broker, release_atom::value, *st.lease);
  st.lease.reset();
  const auto& r = st.report;
  spdlog::info("{}: {}{}", who(self), to_string(r.status),
               r.status == IterationStatus::error ? " (" + r.error_kind + ": " + r.error_message + ")" : "");
  st.promise.deliver(r);
  if (st.ansible) self->send_exit(st.ansible, caf::exit_reason::user_shutdown);
  if (st.vm) self->send_exit(st.vm, caf::exit_reason::user_shutdown);
  self->quit();
}

void report_and_quit(scenario_pointer self) {
  auto& st = self->state;
  finalize_report(st.report, st.phases, st.hosts, st.log_path, st.started, Clock::now());
  then_next<bool>(self, st.actors.reporter, reply_and_quit, report_atom::value, st.report);
}

}  // namespace

scenario_actor::behavior_type scenario(scenario_pointer self, ScenarioJob job, std::shared_ptr<const RunSettings> run,
                                       RunActors actors) {
  auto& st = self->state;
  st.job = std::move(job);
  st.run = std::move(run);
  st.actors = std::move(actors);
  return {
      [=](run_atom) -> caf::result<ScenarioReport> {
        auto& st = self->state;
        st.promise = self->make_response_promise<ScenarioReport>();
        st.report = new_report(*st.run, sc(self), iteration(self), Clock::now());
        st.log_path = iteration_log_path(*st.run, sc(self), iteration(self));
        fs::create_directories(fs::path(st.log_path).parent_path());
        lease(self);
        return st.promise;
      },
      [=](cancel_atom) {
        auto& st = self->state;
        st.interrupted = true;
        if (st.poller) self->send(st.poller, cancel_atom::value);
      },
  };
}

scenario_actor spawn_scenario(caf::actor_system& sys, ScenarioJob job, std::shared_ptr<const RunSettings> run,
                              const RunActors& actors) {
  return sys.spawn(scenario, std::move(job), std::move(run), actors);
}

}  // namespace runner
