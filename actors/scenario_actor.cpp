// The scenario actor: sequencing and messages only. What each phase asks for and
// what the iteration produces is built and judged in core/iteration; here the
// phases follow one another in lifecycle order, and every failure takes one path
// (fail → wind_down) that undoes exactly what was begun. The way out (wind_down,
// then the report) is actors/scenario_wind_down.cpp.
#include "actors/scenario_actor.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "actors/ansible_worker.hpp"
#include "actors/gateway_poller.hpp"
#include "actors/scenario_state.hpp"  // state and helpers shared with scenario_wind_down.cpp
#include "actors/system_config.hpp"
#include "actors/vm_worker.hpp"
#include "adapters/ansible/inventory.hpp"
#include "adapters/engine/engine_api.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {
using namespace scenario_detail;

void provision(scenario_pointer self);
void prepare(scenario_pointer self);
void flush(scenario_pointer self);
void execute(scenario_pointer self);
void validate(scenario_pointer self, const ExecuteOutcome& outcome);

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
  st.inventory_generated = place.generated;
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

// Host mode: the hosts are held for this iteration across runner processes; one that
// another runner holds is waited for (asked again every few seconds, the console
// told once a minute) unless --fail-if-host-busy, or until an interrupt.
void provision_hosts(scenario_pointer self) {
  auto& st = self->state;
  if (st.interrupted) return fail(self, "interrupted", "run interrupted while waiting for a host");
  self->request(st.actors.provisioner, caf::infinite, provision_atom::value,
                provision_request(*st.run, sc(self), iteration(self)))
      .then(
          [=](Provisioned& rows) {
            self->state.platform_held = true;
            provisioned(self, std::move(rows));
          },
          [=](const caf::error& e) {
            auto& st = self->state;
            if (!is_runner_error(e, runner_errc::host_busy) || st.run->fail_if_host_busy)
              return fail(self, is_runner_error(e) ? to_string(static_cast<runner_errc>(e.code())) : "provision",
                          error_text(self->system(), e));
            const auto now = Clock::now();
            if (!st.busy_since || now - *st.busy_since >= std::chrono::minutes(1)) {
              spdlog::info("{}: {}; waiting for it (--fail-if-host-busy errors instead)", who(self), error_field(e, 0));
              st.busy_since = now;
            }
            self->delayed_send(self, std::chrono::seconds(2), retry_atom::value);
          });
}

void provision(scenario_pointer self) {
  begin(self, "provision");
  if (vm_mode(self)) return bring_up_clone(self, 0, std::make_shared<std::vector<HostRow>>());
  if (auto why = host_mode_problem(sc(self)); !why.empty()) return fail(self, "provision", why);
  provision_hosts(self);
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
            if (is_runner_error(e, runner_errc::interrupted))
              return fail(self, "interrupted", "prepare.yml " + error_text(self->system(), e));
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
                          : spawn_gateway_poller(self->system(), st.actors.http, PollerSettings::of_run(*st.run), st.ansible);
  ExecuteRequest req = execute_request(*st.run, sc(self), iteration(self), st.hosts, Clock::now());
  req.ticket.attempt = st.job.attempt;
  if (st.run->chaos && !st.run->chaos_kill_command.empty())
    req.chaos_kill = chaos_kill_request(*st.run, sc(self), iteration(self), st.inventory, st.log_path);
  self->request(st.poller, caf::infinite, execute_atom::value, std::move(req))
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
            st.report.trajectory_json = error_field(e, 3);  // what the agent did before the end
            st.report.chaos_json = error_field(e, 4);       // `chaos`: a job that never recovered
            st.report.platform_json = error_field(e, 5);    // how far the platform got, and when
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
            // A second interrupt killed validate.yml: no verdict, the iteration was interrupted.
            if (is_runner_error(e, runner_errc::interrupted))
              return fail(self, "interrupted", "validate.yml " + error_text(self->system(), e));
            record_verdict(self->state.report, outcome, judgement, std::nullopt, error_text(self->system(), e));
            judged(self);
          });
}

}  // namespace

scenario_actor::behavior_type scenario(scenario_detail::scenario_pointer self, ScenarioJob job, std::shared_ptr<const RunSettings> run,
                                       RunActors actors) {
  using namespace scenario_detail;
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
        // --retries: the attempts share the iteration's log; each later one is marked.
        if (st.job.attempt > 1)
          if (std::FILE* f = std::fopen(st.log_path.c_str(), "ae")) {
            std::fprintf(f, "\n=== attempt %d (--retries) ===\n", st.job.attempt);
            std::fclose(f);
          }
        lease(self);
        return st.promise;
      },
      // The first interrupt cancels the job; a second one (another cancel) tells the
      // poller to stop waiting on the engine. Playbooks are stopped by the process-wide
      // flag (adapters/process/stop_children), as they wait on worker threads.
      [=](cancel_atom) {
        auto& st = self->state;
        st.interrupted = true;
        if (st.poller) self->send(st.poller, cancel_atom::value);
      },
      [=](retry_atom) { provision_hosts(self); },
      [=](phase_atom) {
        const auto& st = self->state;
        const auto& done = st.phases.records();
        // Not admitted yet (no lease): queued, no time of its own (-1).
        if (!st.lease) return caf::make_result(std::string("queued"), std::int64_t{-1});
        const bool provisioning = st.phases.open() && st.phases.current() == "provision";
        std::string phase = provisioning && st.busy_since ? std::string("waiting for a busy host")
                            : st.phases.open()            ? st.phases.current()
                            : done.empty()                ? std::string("starting")
                                                          : done.back().name + " done";
        // Since the lease was granted (started is reset then).
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - st.started).count();
        return caf::make_result(std::move(phase), static_cast<std::int64_t>(ms));
      },
  };
}

scenario_actor spawn_scenario(caf::actor_system& sys, ScenarioJob job, std::shared_ptr<const RunSettings> run,
                              const RunActors& actors) {
  return sys.spawn(scenario, std::move(job), std::move(run), actors);
}

}  // namespace runner
