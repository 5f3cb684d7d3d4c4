#include "actors/scenario_actor.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

#include "actors/rule_evaluation.hpp"
#include "actors/spawn.hpp"
#include "adapters/ansible/inventory.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/vm/vm_lifecycle.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

namespace runner {
namespace {

struct PhaseRecord {
  std::string name, started_at, outcome;
  std::int64_t duration_ms = 0;
};

struct scenario_state {
  std::shared_ptr<const RunSettings> run;
  RunActors actors;
  ScenarioJob job;
  caf::response_promise promise;
  ansible_worker_actor ansible;
  vm_worker_actor vm;                   // VM modes
  std::vector<std::string> clones;      // VM modes: clones to destroy at teardown
  bool registered = false;              // VM modes: clone rows to delete at teardown
  gateway_poller_actor poller;  // while executing
  std::uint64_t lease_id = 0;
  bool leased = false;
  bool interrupted = false;
  bool prepared = false;      // prepare began: restore must run at the end
  bool overrides = false;     // agent overrides were applied: restore them
  ScenarioReport report;
  ProvisionResult provisioned;
  std::string inventory;      // path
  std::string log_path;
  std::vector<PhaseRecord> phases;
  Clock::time_point started, phase_started;
  std::string phase;          // current phase
  static inline const char* name = "scenario";
};

using scenario_pointer = scenario_actor::stateful_pointer<scenario_state>;

std::string now_iso() { return engine_api::iso8601(Clock::now()); }

std::string sanitize(const std::string& key) {
  std::string out = key;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  return out;
}

const Scenario& sc(scenario_pointer self) { return *self->state.job.scenario; }
std::string who(scenario_pointer self) { return iteration_name(sc(self).key, self->state.job.iteration); }

void begin_phase(scenario_pointer self, const std::string& name) {
  auto& st = self->state;
  st.phase = name;
  st.phase_started = Clock::now();
  st.phases.push_back({name, now_iso(), "", 0});
  spdlog::debug("{}: {} ...", who(self), name);
}

void end_phase(scenario_pointer self, const std::string& outcome, const std::string& note = "") {
  auto& st = self->state;
  if (st.phases.empty()) return;
  auto& p = st.phases.back();
  p.outcome = outcome;
  p.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - st.phase_started).count();
  spdlog::info("{}: {} {} ({:.1f} s){}", who(self), p.name, outcome, p.duration_ms / 1000.0,
               note.empty() ? "" : " - " + note);
}

std::string phases_json(const std::vector<PhaseRecord>& phases) {
  std::string out = "{";
  for (std::size_t i = 0; i < phases.size(); ++i)
    out += std::string(i ? "," : "") + json_quote(phases[i].name) + ":{\"started_at\":" + json_quote(phases[i].started_at) +
           ",\"duration_ms\":" + std::to_string(phases[i].duration_ms) + ",\"outcome\":" + json_quote(phases[i].outcome) + "}";
  return out + "}";
}

void set_error(scenario_pointer self, const std::string& kind, const std::string& message) {
  auto& r = self->state.report;
  if (r.status == "error") return;  // the first error is the cause
  r.status = "error";
  r.error_kind = kind;
  r.error_message = message;
}

PlaybookRequest playbook(scenario_pointer self, const char* file) {
  auto& st = self->state;
  const Scenario& s = sc(self);
  PlaybookRequest req;
  req.playbook = (fs::path(s.dir) / file).string();
  req.inventory = st.inventory;
  req.workdir = s.dir;
  req.log_path = st.log_path;
  req.timeout_s = st.run->playbook_timeout_s;
  req.extra_vars_json = "{\"scenario_key\":" + json_quote(s.key) + ",\"scenario_dir\":" + json_quote(s.dir) +
                        ",\"iteration\":" + std::to_string(st.job.iteration) + ",\"benchmark_id\":" +
                        json_quote(st.run->benchmark_id) + ",\"mode\":" + json_quote(st.run->mode) + "}";
  return req;
}

std::string describe(const PlaybookOutcome& o) {
  if (!o.error.empty()) return o.error;
  if (o.timed_out) return "timed out after " + std::to_string(static_cast<int>(o.seconds)) + " s";
  return "exit code " + std::to_string(o.exit_code);
}

void restore_phase(scenario_pointer self);
void validate_phase(scenario_pointer self, ExecuteOutcome outcome);

// --- the end: report, release, reply -----------------------------------------
void finish(scenario_pointer self) {
  auto& st = self->state;
  auto& r = st.report;
  r.phases_json = phases_json(st.phases);
  r.finished_at = now_iso();
  r.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - st.started).count();
  r.log_path = st.log_path;
  std::vector<std::string> host_ids;
  for (const auto& h : st.provisioned.hosts) host_ids.push_back(h.id);
  r.host_ids_json = json_string_array(host_ids);
  r.agent_ids_json = json_string_array(st.provisioned.agent_ids);
  auto reply = [=] {
    auto& st = self->state;
    if (st.leased) self->send(st.actors.broker, release_atom::value, st.lease_id);
    st.leased = false;
    spdlog::info("{}: {}{}", who(self), st.report.status,
                 st.report.status == "error" ? " (" + st.report.error_kind + ": " + st.report.error_message + ")" : "");
    st.promise.deliver(st.report);
    if (st.ansible) self->send_exit(st.ansible, caf::exit_reason::user_shutdown);
    if (st.vm) self->send_exit(st.vm, caf::exit_reason::user_shutdown);
    self->quit();
  };
  // The report is durable (database or spool) before the supervisor hears of it.
  self->request(st.actors.reporter, caf::infinite, report_atom::value, r).then([=](bool) { reply(); },
                                                                                [=](const caf::error&) { reply(); });
}

bool vm_mode(scenario_pointer self) { return self->state.run->vm != nullptr; }

// VM modes: the clone rows go, then the clones; always, whatever happened before.
void teardown_vm_then_finish(scenario_pointer self) {
  auto& st = self->state;
  auto destroy = [=] {
    auto& st = self->state;
    if (st.clones.empty()) return finish(self);
    begin_phase(self, "teardown");
    self->request(st.vm, caf::infinite, vm_down_atom::value, st.clones)
        .then(
            [=](bool all) {
              self->state.clones.clear();
              end_phase(self, all ? "ok" : "failed");
              finish(self);
            },
            [=](const caf::error& e) {
              end_phase(self, "failed", self->system().render(e));
              finish(self);
            });
  };
  if (!st.registered) return destroy();
  std::vector<std::string> host_ids;
  for (const auto& h : st.provisioned.hosts) host_ids.push_back(h.id);
  self->request(st.actors.provisioner, caf::infinite, unregister_atom::value, host_ids, st.provisioned.agent_ids)
      .then([=](bool) { self->state.registered = false; destroy(); }, [=](const caf::error&) { destroy(); });
}

void teardown_overrides_then_finish(scenario_pointer self) {
  auto& st = self->state;
  if (vm_mode(self)) return teardown_vm_then_finish(self);
  if (!st.overrides) return finish(self);
  self->request(st.actors.provisioner, caf::infinite, teardown_atom::value, st.run->benchmark_id, st.provisioned.agent_ids)
      .then([=](bool) { finish(self); }, [=](const caf::error&) { finish(self); });
}

// --- restore: always after prepare began; never changes the verdict -----------
void restore_phase(scenario_pointer self) {
  auto& st = self->state;
  // VM modes: the clone is destroyed, which restores better than restore.yml could.
  if (!st.prepared || !sc(self).playbooks.restore || vm_mode(self)) return teardown_overrides_then_finish(self);
  begin_phase(self, "restore");
  self->request(st.ansible, caf::infinite, playbook_atom::value, playbook(self, "restore.yml"))
      .then(
          [=](const PlaybookOutcome& o) {
            if (!o.ok) spdlog::warn("{}: restore.yml failed ({}); see {}", who(self), describe(o), self->state.log_path);
            end_phase(self, o.ok ? "ok" : "failed");
            teardown_overrides_then_finish(self);
          },
          [=](const caf::error& e) {
            end_phase(self, "failed", self->system().render(e));
            teardown_overrides_then_finish(self);
          });
}

// --- validate -------------------------------------------------------------------
void validate_phase(scenario_pointer self, ExecuteOutcome outcome) {
  auto& st = self->state;
  auto& r = st.report;
  begin_phase(self, "validate");
  if (!st.run->crash_scenario_key.empty() && st.run->crash_scenario_key == sc(self).key)
    throw std::runtime_error("test hook: crash requested for " + sc(self).key);
  const JobSnapshot& job = outcome.job;
  r.resolution_status = job.resolution_status;
  r.task_count = static_cast<int>(job.tasks.size());
  r.tokens_json = "{\"prompt\":" + std::to_string(job.tokens.prompt) + ",\"completion\":" +
                  std::to_string(job.tokens.completion) + ",\"total\":" + std::to_string(job.tokens.total) + "}";
  Verdict v = evaluate_rules(sc(self).validation, job, job.has_ticket);
  r.rules_json = rules_json(v.rules);
  r.compliance_score = v.compliance;
  bool passed = v.required_rules_passed && !outcome.guard_violation;
  if (outcome.guard_violation) r.error_message = "guard: " + outcome.guard_detail;
  auto conclude = [=](bool passed, const std::string& playbook_note) {
    auto& r = self->state.report;
    r.status = passed ? "passed" : "failed";
    if (!passed && r.error_message.empty()) {
      for (const auto& rule : v.rules)
        if (rule.outcome == "failed" && rule.required) {
          r.error_message = "rule failed: " + rule.label;
          break;
        }
      if (r.error_message.empty()) r.error_message = playbook_note;
    }
    end_phase(self, r.status);
    restore_phase(self);
  };
  if (!sc(self).playbooks.validate) {
    r.validate_playbook = "absent";
    return conclude(passed, "");
  }
  self->request(st.ansible, caf::infinite, playbook_atom::value, playbook(self, "validate.yml"))
      .then(
          [=](const PlaybookOutcome& o) {
            self->state.report.validate_playbook = o.ok ? "passed" : "failed";
            conclude(passed && o.ok, o.ok ? "" : "validate.yml failed (" + describe(o) + ")");
          },
          [=](const caf::error& e) {
            self->state.report.validate_playbook = "failed";
            conclude(false, "validate.yml did not run: " + self->system().render(e));
          });
}

// --- execute ---------------------------------------------------------------------
void execute_phase(scenario_pointer self) {
  auto& st = self->state;
  if (st.interrupted) return set_error(self, "interrupted", "run interrupted before the ticket"), restore_phase(self);
  begin_phase(self, "execute");
  const Scenario& s = sc(self);
  ExecuteRequest req;
  TicketSpec& t = req.ticket;
  t.title = s.ticket_title;
  t.body = engine_api::fill_schedule_time(s.ticket_body, Clock::now());
  t.organization_id = st.run->organization_id;
  t.tenant_id = st.run->tenant_id;
  t.user_id = st.run->user_id;
  t.agent_ids = st.provisioned.agent_ids;
  for (const auto& h : st.provisioned.hosts) t.host_ids.push_back(h.id);
  t.benchmark_id = st.run->benchmark_id;
  t.scenario_key = s.key;
  t.iteration = st.job.iteration;
  t.llm_model = st.run->gateway_engine;
  t.multimodal_llm_model = st.run->gateway_multimodal_engine;
  req.timeout_ms = static_cast<std::uint32_t>(1000 * s.timeout_seconds.value_or(st.run->default_timeout_s));
  req.allowed_agents = s.validation.allowed_agents;
  req.allowed_hosts = s.validation.allowed_hosts;
  req.poll_initial_ms = st.run->poll_initial_ms;
  req.poll_max_ms = st.run->poll_max_ms;
  PollerSettings ps = PollerSettings::engine(st.run->engine_url, st.run->engine_api_key, st.run->http_timeout_ms);
  ps.gateway = st.run->gateway;
  ps.servicenow_url = st.run->servicenow_url;
  ps.servicenow_username = st.run->servicenow_username;
  ps.servicenow_password = st.run->servicenow_password;
  ps.assignment_group = st.run->servicenow_assignment_group;
  ps.caller_id = st.run->servicenow_caller_id;
  st.poller = spawn_gateway_poller(self->system(), st.actors.http, ps);
  self->request(st.poller, caf::infinite, execute_atom::value, std::move(req))
      .then(
          [=](ExecuteOutcome& o) {
            auto& st = self->state;
            st.poller = nullptr;
            st.report.ticket_id = o.ticket_id;
            st.report.job_id = o.job_id;
            if (!o.ok) {
              end_phase(self, "error", o.error_message);
              set_error(self, o.error_kind, o.error_message);
              return restore_phase(self);
            }
            end_phase(self, "ok", "job " + o.job_id + " " + o.job.status + ", resolution " +
                                      (o.job.resolution_status.empty() ? "none" : o.job.resolution_status) +
                                      (o.guard_violation ? ", GUARD: " + o.guard_detail : ""));
            validate_phase(self, std::move(o));
          },
          [=](const caf::error& e) {
            self->state.poller = nullptr;
            end_phase(self, "error");
            set_error(self, "internal", "gateway poller failed: " + self->system().render(e));
            restore_phase(self);
          });
}

// --- flush: every agent's memory, before the ticket ----------------------------------
void flush_phase(scenario_pointer self) {
  auto& st = self->state;
  if (st.interrupted) return set_error(self, "interrupted", "run interrupted before the ticket"), restore_phase(self);
  begin_phase(self, "flush");
  const auto& agents = st.provisioned.agent_ids;
  if (agents.empty()) {
    end_phase(self, "ok", "no agents");
    return execute_phase(self);
  }
  auto remaining = std::make_shared<std::size_t>(agents.size());
  auto failure = std::make_shared<std::string>();
  for (const auto& id : agents) {
    self->request(st.actors.http, caf::infinite, engine_api::flush_agent({st.run->engine_url, st.run->engine_api_key}, id))
        .then(
            [=](const HttpResponse& r) {
              if ((r.status < 200 || r.status >= 300) && failure->empty())
                *failure = "flush of agent " + id + ": " + (r.status ? "HTTP " + std::to_string(r.status) : r.error);
              if (--*remaining > 0) return;
              if (!failure->empty()) {
                end_phase(self, "error", *failure);
                set_error(self, "flush", *failure);
                return restore_phase(self);
              }
              end_phase(self, "ok");
              execute_phase(self);
            },
            [=](const caf::error& e) {
              if (failure->empty()) *failure = self->system().render(e);
              if (--*remaining > 0) return;
              end_phase(self, "error", *failure);
              set_error(self, "flush", *failure);
              restore_phase(self);
            });
  }
}

// --- prepare: restore.yml silently, then prepare.yml -------------------------------
void prepare_phase(scenario_pointer self) {
  auto& st = self->state;
  if (st.interrupted)
    return set_error(self, "interrupted", "run interrupted before prepare"), teardown_overrides_then_finish(self);
  begin_phase(self, "prepare");
  st.prepared = true;
  auto run_prepare = [=] {
    auto& st = self->state;
    if (!sc(self).playbooks.prepare) {
      end_phase(self, "ok", "no prepare.yml");
      return flush_phase(self);
    }
    self->request(st.ansible, caf::infinite, playbook_atom::value, playbook(self, "prepare.yml"))
        .then(
            [=](const PlaybookOutcome& o) {
              if (o.ok) {
                end_phase(self, "ok");
                return flush_phase(self);
              }
              end_phase(self, "failed", describe(o));
              set_error(self, "prepare", "prepare.yml failed (" + describe(o) + "); see " + self->state.log_path);
              restore_phase(self);
            },
            [=](const caf::error& e) {
              end_phase(self, "failed");
              set_error(self, "prepare", "prepare.yml did not run: " + self->system().render(e));
              restore_phase(self);
            });
  };
  // A fresh clone has no leftovers: the silent restore is for reused hosts.
  if (!sc(self).playbooks.restore || vm_mode(self)) return run_prepare();
  // Leftovers of an earlier failed run go first; the outcome only lands in the log.
  self->request(st.ansible, caf::infinite, playbook_atom::value, playbook(self, "restore.yml"))
      .then([=](const PlaybookOutcome&) { run_prepare(); }, [=](const caf::error&) { run_prepare(); });
}

// The inventory of the provisioned hosts (or the scenario's own), then prepare.
void provisioned(scenario_pointer self) {
  auto& st = self->state;
  const Scenario& s = sc(self);
  if (!s.playbooks.inventory.empty()) {
    st.inventory = (fs::path(s.dir) / s.playbooks.inventory).string();
  } else {
    st.inventory =
        (fs::path(st.log_path).parent_path() / (fs::path(st.log_path).stem().string() + ".inventory.yml")).string();
    std::ofstream(st.inventory) << inventory_json(st.provisioned.hosts);
  }
  end_phase(self, "ok", std::to_string(st.provisioned.hosts.size()) + " host(s), " +
                            std::to_string(st.provisioned.agent_ids.size()) + " agent(s)");
  prepare_phase(self);
}

void provision_failed(scenario_pointer self, const std::string& kind, const std::string& message) {
  end_phase(self, "error", message);
  set_error(self, kind, message);
  teardown_overrides_then_finish(self);
}

// --- provision, VM modes: a clone per host, then its rows --------------------------------
void register_clones(scenario_pointer self, std::vector<HostRow> hosts) {
  auto& st = self->state;
  if (st.interrupted) return provision_failed(self, "interrupted", "run interrupted while provisioning");
  const Scenario& s = sc(self);
  RegisterRequest req;
  req.tenant_id = st.run->tenant_id;
  req.benchmark_id = st.run->benchmark_id;
  req.hosts = std::move(hosts);
  add_scenario_agents(req, s, st.run->specialty);  // the run's --specialty wins
  req.main_engine = st.run->main_engine;
  req.secondary_engine = st.run->secondary_engine;
  self->request(st.actors.provisioner, caf::infinite, register_atom::value, req)
      .then(
          [=](ProvisionResult& res) {
            auto& st = self->state;
            if (!res.ok) return provision_failed(self, "provision", res.error);
            st.registered = true;
            st.provisioned = std::move(res);
            provisioned(self);
          },
          [=](const caf::error& e) { provision_failed(self, "provision", self->system().render(e)); });
}

void bring_up_host(scenario_pointer self, std::size_t index, std::shared_ptr<std::vector<HostRow>> up) {
  auto& st = self->state;
  const Scenario& s = sc(self);
  if (index == s.hosts.size()) return register_clones(self, std::move(*up));
  if (st.interrupted) return provision_failed(self, "interrupted", "run interrupted while provisioning");
  const HostSpec& h = s.hosts[index];
  VmUpRequest req;
  req.template_name = h.template_name;
  req.host_name = h.host_name;
  req.clone_name = clone_name(st.run->benchmark_id, s.key, h.host_name, st.job.iteration);
  req.benchmark_id = st.run->benchmark_id;
  req.scenario_key = s.key;
  req.iteration = st.job.iteration;
  st.clones.push_back(req.clone_name);  // destroyed at teardown even if the reply never comes
  spdlog::debug("{}: cloning template-{} as {}", who(self), h.template_name, req.clone_name);
  self->request(st.vm, caf::infinite, vm_up_atom::value, req)
      .then(
          [=](VmUpResult& r) {
            if (!r.ok) return provision_failed(self, "provision", "host " + sc(self).hosts[index].host_name + ": " + r.error);
            up->push_back(std::move(r.host));
            bring_up_host(self, index + 1, up);
          },
          [=](const caf::error& e) { provision_failed(self, "provision", self->system().render(e)); });
}

// --- provision: hosts and agents by id --------------------------------------------------
void provision_phase(scenario_pointer self) {
  auto& st = self->state;
  begin_phase(self, "provision");
  if (vm_mode(self)) return bring_up_host(self, 0, std::make_shared<std::vector<HostRow>>());
  const Scenario& s = sc(self);
  ProvisionRequest req;
  req.benchmark_id = st.run->benchmark_id;
  req.scenario_key = s.key;
  req.tenant_id = st.run->tenant_id;
  for (const auto& h : s.hosts) {
    if (h.host_id.empty()) {
      end_phase(self, "error");
      set_error(self, "provision", "host mode needs host_id for host '" + h.host_name + "'");
      return finish(self);
    }
    req.host_ids.push_back(h.host_id);
    req.host_names.push_back(h.host_name);
  }
  for (const auto& a : s.agents) {
    if (a.agent_id.empty()) {
      end_phase(self, "error");
      set_error(self, "provision", "host mode needs agent_id for agent '" + a.agent_name + "'");
      return finish(self);
    }
    req.agent_ids.push_back(a.agent_id);
  }
  req.main_engine = st.run->main_engine;
  req.secondary_engine = st.run->secondary_engine;
  req.specialty = st.run->specialty;
  self->request(st.actors.provisioner, caf::infinite, provision_atom::value, req)
      .then(
          [=](ProvisionResult& res) {
            auto& st = self->state;
            if (!res.ok) {
              end_phase(self, "error", res.error);
              set_error(self, "provision", res.error);
              return finish(self);
            }
            st.provisioned = std::move(res);
            st.overrides = !st.run->main_engine.empty() || !st.run->secondary_engine.empty() || !st.run->specialty.empty();
            provisioned(self);
          },
          [=](const caf::error& e) {
            end_phase(self, "error");
            set_error(self, "provision", self->system().render(e));
            finish(self);
          });
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
        const Scenario& s = sc(self);
        st.report = error_report(*st.run, s, st.job.iteration, "", "");
        st.report.status = "";  // set by the phases
        const fs::path dir = fs::path(st.run->runs_dir) / st.run->benchmark_id;
        fs::create_directories(dir);
        st.log_path = (dir / (sanitize(s.key) + "-" + std::to_string(st.job.iteration) + ".log")).string();
        LeaseRequest lease{who(self), 1, {}, st.job.expected_ms};
        if (st.run->vm) {
          // VM modes: the clones' memory; templates were checked before the run.
          lease.mib = scenario_memory_mib(s, *st.run->vm->templates);
          lease.clones = static_cast<std::uint32_t>(s.hosts.size());
        } else {
          for (const auto& h : s.hosts)
            if (!h.host_id.empty()) lease.hosts.push_back(h.host_id);
        }
        self->request(st.actors.broker, caf::infinite, lease)
            .then(
                [=](const LeaseGrant& g) {
                  auto& st = self->state;
                  st.lease_id = g.id;
                  st.leased = true;
                  st.started = Clock::now();
                  st.report.started_at = now_iso();
                  if (st.interrupted) {  // the grant crossed the interrupt
                    self->send(st.actors.broker, release_atom::value, st.lease_id);
                    st.report.error_kind = "not_started";
                    st.promise.deliver(st.report);
                    return self->quit();
                  }
                  st.ansible = spawn_ansible_worker(self->system(), st.run->detach_workers);
                  self->link_to(st.ansible);  // a crash of this actor takes its worker along
                  if (st.run->vm) {
                    st.vm = spawn_vm_worker(self->system(), st.run->vm, st.run->detach_workers);
                    self->link_to(st.vm);
                  }
                  spdlog::info("{}: start ({})", who(self), sc(self).title);
                  provision_phase(self);
                },
                [=](const caf::error&) {
                  // Admission closed (interrupt): this iteration never started.
                  auto& st = self->state;
                  st.report.error_kind = "not_started";
                  st.promise.deliver(st.report);
                  self->quit();
                });
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

ScenarioReport error_report(const RunSettings& run, const Scenario& s, int iteration, const std::string& kind,
                            const std::string& message) {
  ScenarioReport r;
  r.benchmark_id = run.benchmark_id;
  r.scenario_key = s.key;
  r.scenario_title = s.title;
  r.tags_json = json_string_array(s.tags);
  r.iteration = iteration;
  r.mode = run.mode;
  r.gateway = run.gateway;
  r.status = "error";
  r.error_kind = kind;
  r.error_message = message;
  r.validate_playbook = "absent";
  r.started_at = r.finished_at = now_iso();
  return r;
}

std::string iteration_name(const std::string& key, int iteration) { return key + " #" + std::to_string(iteration); }

}  // namespace runner
