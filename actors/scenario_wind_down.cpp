// The scenario actor's way out: undo what the iteration began, in order (restore.yml
// on a reused host, the run's agent overrides and the hosts' hold, the clones' rows,
// the clones), then
// make the report durable and answer the supervisor. Never changes the verdict.
#include <spdlog/spdlog.h>

#include <filesystem>

#include "actors/scenario_state.hpp"
#include "actors/system_config.hpp"
#include "core/retries.hpp"

namespace runner::scenario_detail {
namespace {

void release_platform(scenario_pointer self);
void unregister_clones(scenario_pointer self);
void destroy_clones(scenario_pointer self);
void report_and_quit(scenario_pointer self);
void reply_and_quit(scenario_pointer self);

}  // namespace

void wind_down(scenario_pointer self) {
  auto& st = self->state;
  // VM modes: the clone is destroyed, which restores better than restore.yml could.
  if (!st.prepared || !sc(self).playbooks.restore || vm_mode(self)) return release_platform(self);
  st.prepared = false;
  begin(self, "restore");
  self->request(st.ansible, caf::infinite, playbook_atom::value, playbook(self, "restore"))
      .then(
          [=](const PlaybookOutcome& o) {
            if (!o.passed) spdlog::warn("{}: restore.yml failed ({}); see {}", who(self), describe(o), self->state.log_path);
            end(self, o.passed ? "ok" : "failed");
            release_platform(self);
          },
          [=](const caf::error& e) {
            spdlog::warn("{}: restore.yml did not run ({}); see {}", who(self), error_text(self->system(), e),
                         self->state.log_path);
            end(self, "failed", error_text(self->system(), e));
            release_platform(self);
          });
}

namespace {

// Host mode: the run's agent overrides go and the hosts are let go, for the next
// iteration or another runner.
void release_platform(scenario_pointer self) {
  auto& st = self->state;
  if (!st.platform_held) return unregister_clones(self);
  st.platform_held = false;
  then_next<bool>(self, st.actors.provisioner, unregister_clones, teardown_atom::value, st.run->benchmark_id,
                  provision_request(*st.run, sc(self), iteration(self)).host_ids, st.hosts.agent_ids);
}

void unregister_clones(scenario_pointer self) {
  auto& st = self->state;
  if (!st.registered) return destroy_clones(self);
  st.registered = false;
  std::vector<std::string> host_ids;
  for (const auto& h : st.hosts.hosts) host_ids.push_back(h.id);
  then_next<bool>(self, st.actors.provisioner, destroy_clones, unregister_atom::value, host_ids, st.hosts.agent_ids);
}

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

// --- report: durable (database or spool) before the supervisor hears of it ---------------
// --retries: an attempt that may be run again is left to the supervisor, which runs
// it again or (interrupted, --max-failures reached) stores it. The same test on both
// sides (retry_deferred), so an attempt is stored exactly once.
bool will_retry(scenario_pointer self) { return retry_deferred(self->state.report, self->state.job, *self->state.run); }

void report_and_quit(scenario_pointer self) {
  auto& st = self->state;
  if (st.inventory_generated) {
    std::error_code ec;  // whatever the outcome, the generated inventory goes
    std::filesystem::remove(st.inventory, ec);
  }
  finalize_report(st.report, st.phases, st.hosts, st.log_path, st.started, Clock::now());
  st.report.attempts_json = st.job.prior_attempts;
  // --retries: an attempt the supervisor may run again is not stored here.
  if (will_retry(self)) return reply_and_quit(self);
  then_next<bool>(self, st.actors.reporter, reply_and_quit, report_atom::value, st.report);
}

void reply_and_quit(scenario_pointer self) {
  auto& st = self->state;
  const auto& r = st.report;
  // A lease comes back with the verdict (for --max-failures), except for an attempt
  // that is retried: it is no verdict yet.
  if (st.lease && will_retry(self)) self->send(st.actors.broker, release_atom::value, *st.lease);
  else if (st.lease) self->send(st.actors.broker, release_atom::value, *st.lease, r.status == IterationStatus::passed);
  st.lease.reset();
  spdlog::info("{}: {}{}", who(self), to_string(r.status),
               r.status == IterationStatus::error ? " (" + r.error_kind + ": " + r.error_message + ")" : "");
  st.promise.deliver(r);
  if (st.ansible) self->send_exit(st.ansible, caf::exit_reason::user_shutdown);
  if (st.vm) self->send_exit(st.vm, caf::exit_reason::user_shutdown);
  self->quit();
}

}  // namespace
}  // namespace runner::scenario_detail
