// The gateway poller: the loop every gateway shares. The gateway strategy
// (actors/gateways) creates the ticket and finds its job; the poller then reads the
// job on an adaptive schedule, checks the guards on every read, and ends at a
// terminal job, a tripped guard (job cancelled), the deadline (job cancelled) or an
// interrupt (job cancelled). Before it replies, the strategy has its last word.
#include "actors/gateway_poller.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "actors/gateways/gateway.hpp"
#include "actors/interfaces.hpp"
#include "actors/system_config.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/env/env_number.hpp"
#include "adapters/log/logging.hpp"
#include "adapters/http/retry_policy.hpp"
#include "adapters/log/redactor.hpp"
#include "core/chaos.hpp"
#include "core/guards.hpp"
#include "core/platform_timings.hpp"
#include "core/trajectory.hpp"
#include "adapters/text/utf8.hpp"

namespace runner {
namespace {

struct poller_state;
using poller_pointer = gateway_poller_actor::stateful_pointer<poller_state>;

void finish(poller_pointer self);
void poll_job(poller_pointer self);
void schedule_poll(poller_pointer self);

// What the strategy may do, on this poller.
class Host : public GatewayHost {
 public:
  explicit Host(poller_pointer self) : self_(self) {}
  void ask(HttpRequest req, std::function<void(const HttpResponse&)> then) override;
  bool usable(const HttpResponse& r, const char* what) override;
  void ticket_created(const std::string& ticket_id) override;
  void job_found(const std::string& job_id) override;
  void try_again_later() override;
  void try_again_in(std::chrono::milliseconds delay) override;
  void fail(const std::string& message) override;
  void refused(const char* what, const HttpResponse& r) override;
  void concluded() override;
  const ExecuteRequest& request() const override;
  ExecuteOutcome& outcome() override;
  std::optional<runner_errc> failure() const override;

 private:
  poller_pointer self_;
};

struct poller_state {
  PollerSettings settings;
  http_client_actor http;
  ansible_worker_actor ansible;  // `chaos --kill-command`: runs the kill playbook
  std::unique_ptr<Gateway> gateway;
  std::unique_ptr<Host> host;
  ExecuteRequest request;
  caf::response_promise promise;  // the pending execute
  ExecuteOutcome outcome;
  // Why the execute failed (a gateway failure, the timeout, an interrupt): the reply
  // is then this error instead of the outcome. The first cause wins.
  std::optional<runner_errc> failure;
  std::string failure_message;
  std::string job_body;  // the engine's last job answer, for the trajectory
  std::optional<ChaosProbe> chaos;                 // `chaos` runs only
  PlatformClock platform;                          // the platform's timings, as observed
  std::chrono::steady_clock::time_point began;     // the execute's start, for chaos and platform times
  std::uint32_t interval_ms = 0;  // current poll interval
  std::uint64_t heartbeat_at_ms = 0;  // when the last heartbeat line was printed (since began)
  bool ended = false;       // the execute is over; the strategy concludes
  bool kill_pending = false;         // `chaos --kill-command`: the command runs
  bool conclude_after_kill = false;  // the reply waits for it
  bool cancelling = false;  // the job's cancel is on its way
  bool replied = false;
  int interrupts = 0;       // 1: cancel the job and finish; 2: stop waiting on the engine
  static inline const char* name = "gateway-poller";
};

engine_api::Endpoint endpoint(poller_pointer self) {
  return {self->state.settings.engine_url, self->state.settings.engine_api_key};
}

bool over(poller_pointer self) { return self->state.ended || self->state.cancelling; }

// Milliseconds since the execute began (steady: a clock change moves no measure).
std::uint64_t since_start(poller_pointer self) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - self->state.began).count());
}

void Host::ask(HttpRequest req, std::function<void(const HttpResponse&)> then) {
  req.timeout_ms = self_->state.settings.http_timeout_ms;
  // Answers to the execute's own exchanges are dropped once it is over; those of the
  // strategy's last word (asked after the end) always arrive.
  const bool late_ok = self_->state.ended;
  auto self = self_;
  auto deliver = [self, late_ok, then = std::move(then)](const HttpResponse& r) {
    if (late_ok || !over(self)) then(r);
  };
  // A client that cannot answer (it went down) is a failed exchange like any other,
  // so the execute still ends and replies.
  self_->request(self_->state.http, caf::infinite, std::move(req))
      .then(deliver, [self, deliver](const caf::error& e) {
        HttpResponse r;
        r.error = error_text(self->system(), e);
        deliver(r);
      });
}

std::string describe(const HttpResponse& r) {
  if (r.status == 0) return r.error + " after " + std::to_string(r.attempts) + " attempt(s)";
  return "HTTP " + std::to_string(r.status) + " after " + std::to_string(r.attempts) + " attempt(s)";
}

// Records why the execute failed (the first cause is kept).
void set_failure(poller_pointer self, runner_errc code, const std::string& message) {
  auto& st = self->state;
  if (st.failure) return;
  st.failure = code;
  st.failure_message = message;
}

void Host::fail(const std::string& message) {
  set_failure(self_, runner_errc::gateway, message);
  finish(self_);
}

// A 401/403 is named as a credentials problem; anything else as a gateway failure.
void Host::refused(const char* what, const HttpResponse& r) {
  if (r.status == 401 || r.status == 403)
    fail(std::string(what) + ": the engine rejected ENGINE_API_KEY (HTTP " + std::to_string(r.status) + ")");
  else
    fail(std::string(what) + " failed: " + describe(r));
}

// A read that still fails after the client's retries is tried again at the next
// poll (only the deadline ends the wait); credentials problems are final.
bool Host::usable(const HttpResponse& r, const char* what) {
  ++self_->state.outcome.polls;
  // Every answer is a look at the platform: what a later look sees first happened
  // after this one (the bound of the platform's timings).
  if (r.status == 200) self_->state.platform.looked(since_start(self_));
  if (r.status == 200) return true;
  if (is_transient(r))
    schedule_poll(self_);
  else
    refused(what, r);
  return false;
}

void Host::try_again_later() { schedule_poll(self_); }
void Host::try_again_in(std::chrono::milliseconds delay) { self_->delayed_send(self_, delay, poll_atom::value); }

void Host::ticket_created(const std::string& ticket_id) {
  self_->state.outcome.ticket_id = ticket_id;
  self_->state.platform.ticket_created(since_start(self_));
  self_->state.gateway->find_job(*this);
}

void Host::job_found(const std::string& job_id) {
  auto& st = self_->state;
  st.outcome.job_id = job_id;
  st.platform.job_appeared();
  st.interval_ms = st.request.poll_initial_ms;  // a fresh job: look closely again
  poll_job(self_);
}

void Host::concluded() {
  auto& st = self_->state;
  if (st.replied) return;
  // A kill command still running: the reply waits for it (bounded by its timeout, and
  // cut short by a second interrupt, which stops every child), so the kill cannot land
  // in validate.yml, the restore or the next iteration.
  if (st.kill_pending) {
    st.conclude_after_kill = true;
    return;
  }
  st.replied = true;
  // Redacted before the cap cuts anything: a secret cut in half would no longer match.
  const Redactor& redactor = global_redactor();
  st.outcome.trajectory_json =
      trajectory_json({st.settings.gateway == GatewayKind::servicenow ? "servicenow" : "runner",
                       redactor.redact(st.job_body), &st.outcome.job, redactor.redact(st.outcome.ticket_record_json)});
  st.outcome.ticket_record_json.clear();  // folded into the trajectory
  if (st.chaos) st.outcome.chaos_json = st.chaos->json(st.outcome.job);
  st.outcome.platform_json = st.platform.json();
  if (st.failure)
    st.promise.deliver(caf::make_error(*st.failure, st.failure_message, st.outcome.ticket_id, st.outcome.job_id,
                                       st.outcome.trajectory_json, st.outcome.chaos_json, st.outcome.platform_json));
  else
    st.promise.deliver(st.outcome);
  self_->quit();
}

const ExecuteRequest& Host::request() const { return self_->state.request; }
ExecuteOutcome& Host::outcome() { return self_->state.outcome; }
std::optional<runner_errc> Host::failure() const { return self_->state.failure; }

// The execute is over: the strategy has its last word, then the reply goes.
void finish(poller_pointer self) {
  auto& st = self->state;
  if (st.ended) return;
  st.ended = true;
  st.gateway->conclude(*st.host);
}

// What became of the cancel, after the failure's message: the row says whether the
// engine took it, so an operator knows whether a job may still be running.
void note_cancel(poller_pointer self, const std::string& what) {
  auto& st = self->state;
  if (st.failure && *st.failure != runner_errc::gateway) st.failure_message += "; " + what;
}

// Cancels the job (when there is one), then finishes with the outcome as it stands.
// On an interrupt the cancel is bounded tighter (two tries of at most 10 s), so an
// engine that never answers it holds the run for seconds, not minutes.
void cancel_job_then_finish(poller_pointer self) {
  auto& st = self->state;
  if (st.cancelling) return;
  st.cancelling = true;
  if (st.outcome.job_id.empty()) {
    // Nothing to cancel yet; say what may still exist, not that nothing does.
    note_cancel(self, st.outcome.ticket_id.empty()
                          ? "no ticket was confirmed created (a create under way may still make one)"
                          : "ticket " + st.outcome.ticket_id + " had no job yet (a job started later is not cancelled)");
    return finish(self);
  }
  auto req = engine_api::cancel_job(endpoint(self), st.outcome.job_id);
  const bool interrupt = st.interrupts > 0;
  req.timeout_ms = interrupt ? std::min<std::uint32_t>(st.settings.http_timeout_ms, 10'000) : st.settings.http_timeout_ms;
  req.max_attempts = interrupt ? 2 : 3;
  const auto bound = std::chrono::milliseconds(std::uint64_t{req.timeout_ms} * req.max_attempts + 5'000);
  const std::string job = st.outcome.job_id;
  st.platform.cancel_sent(since_start(self));
  self->request(st.http, bound, std::move(req))
      .then(
          [=](const HttpResponse& r) {
            if (r.status >= 200 && r.status < 300) self->state.platform.cancel_answered(since_start(self));
            if (r.status < 200 || r.status >= 300) {
              spdlog::warn("cancel of job {}: {}", job, describe(r));
              note_cancel(self, "the cancel of job " + job + " failed (" + describe(r) + ")");
            } else {
              note_cancel(self, "job " + job + " cancelled");
            }
            finish(self);
          },
          [=](const caf::error& e) {
            note_cancel(self, "the cancel of job " + job + " got no answer (" + error_text(self->system(), e) + ")");
            finish(self);
          });
}

void schedule_poll(poller_pointer self) {
  auto& st = self->state;
  self->delayed_send(self, std::chrono::milliseconds(st.interval_ms), poll_atom::value);
  st.interval_ms = std::min<std::uint32_t>(st.interval_ms * 3 / 2 + 1, st.request.poll_max_ms);
}

// `chaos --kill-command`: the scenario's Ansible worker (idle while the job runs) runs
// the kill playbook on the iteration's hosts. The engine dies somewhere while it runs
// (Ansible takes a second or more to start): lost and redone tasks are counted against
// the job as read before the start, the next progress from the start, and reads are
// measured only once the command returned. The reply waits for the command (see
// Host::concluded), so a kill never lands in what follows this execute.
void chaos_kill_by_command(poller_pointer self, const JobSnapshot& job) {
  auto& st = self->state;
  st.chaos->kill_started(job, since_start(self));
  spdlog::info("chaos: killing the engine in job {} with the kill command ({} ms after the ticket)", job.id,
               since_start(self));
  if (!st.ansible) return st.chaos->killed(job, since_start(self), "no Ansible worker to run the kill command", "command");
  st.kill_pending = true;
  auto done = [self](std::string outcome) {
    auto& st = self->state;
    st.kill_pending = false;
    if (st.ended)  // the execute is over: whatever the command did, nothing is measured
      st.chaos->kill_late(st.failure ? "the iteration ended (" + std::string(to_string(*st.failure)) +
                                           ") before the kill command returned"
                          : st.outcome.guard_violation ? "a guard stopped the job before the kill command returned"
                                                       : "the job ended before the kill command returned",
                          std::move(outcome));
    else
      st.chaos->killed(st.outcome.job, since_start(self), std::move(outcome), "command");
    if (st.conclude_after_kill) st.host->concluded();
  };
  self->request(st.ansible, caf::infinite, playbook_atom::value, st.request.chaos_kill)
      .then(
          [done](const PlaybookOutcome& o) {
            done(o.passed      ? "ok"
                 : o.timed_out ? "the kill command timed out"
                               : "the kill command failed: ansible-playbook exit " + std::to_string(o.exit_code));
          },
          [self, done](const caf::error& e) { done("the kill command did not run: " + error_text(self->system(), e)); });
}

// `chaos`: after the kill every read is measured; before it, the first read with a
// task in progress fires it (once).
void chaos_look(poller_pointer self, const JobSnapshot& job) {
  auto& st = self->state;
  const auto ms = since_start(self);
  if (st.chaos->fired()) return st.chaos->observed(job, ms);
  if (!st.chaos->due(job)) return;
  if (!st.request.chaos_kill.playbook.empty()) return chaos_kill_by_command(self, job);
  st.chaos->killed(job, ms, "sent");
  spdlog::info("chaos: killing the engine in job {} ({} ms after the ticket)", job.id, ms);
  st.host->ask(engine_api::kill_engine(endpoint(self), st.settings.chaos_kill_url), [self](const HttpResponse& r) {
    self->state.chaos->kill_answered(r.status >= 200 && r.status < 300
                                         ? "ok"
                                         : r.status ? "HTTP " + std::to_string(r.status) : "no answer: " + r.error);
  });
}

// Not on a terminal (a CI log, where no status line shows), a line every
// RUNNER_HEARTBEAT_S (30) seconds at the poll ticks while the execute waits, whatever
// it waits for (a job to appear, a job to end, an engine that does not answer), so a
// long wait is visibly alive.
void heartbeat(poller_pointer self) {
  auto& st = self->state;
  if (stdout_is_tty()) return;
  const std::uint64_t now = since_start(self);
  if (now - st.heartbeat_at_ms < st.settings.heartbeat_ms) return;
  st.heartbeat_at_ms = now;
  const auto& job = st.outcome.job;
  const std::string what = st.outcome.ticket_id.empty() ? "creating the ticket"
                           : st.outcome.job_id.empty()  ? "ticket " + st.outcome.ticket_id + ", waiting for its job"
                                                        : fmt::format("job {} {}, {} task(s)", st.outcome.job_id,
                                                                      job.status.empty() ? "not read yet" : job.status,
                                                                      job.tasks.size());
  spdlog::info("{} #{}: {}, {}m{:02}s since the ticket was submitted", st.request.ticket.scenario_key,
               st.request.ticket.iteration, what, now / 60000, now / 1000 % 60);
}

void poll_job(poller_pointer self) {
  auto& st = self->state;
  st.host->ask(engine_api::get_job(endpoint(self), st.outcome.job_id), [self](const HttpResponse& r) {
    auto& st = self->state;
    if (!st.host->usable(r, "reading the job")) return;
    auto job = engine_api::parse_job(r.body);
    if (!job) return st.host->fail("the engine returned an unreadable job: " + utf8_truncate(r.body, 200));
    if (!job->known_status())
      return st.host->fail("the engine returned job status '" + utf8_truncate(printable(job->status), 60) +
                           "', which the contract does not know (queued, in_progress, completed, failed, cancelled)");
    if (st.chaos) chaos_look(self, *job);
    st.platform.observed(*job, since_start(self));
    st.outcome.job = std::move(*job);
    st.job_body = r.body;
    if (auto v = guard_violation(st.request.allowed_agents, st.request.allowed_hosts, st.outcome.job); !v.empty()) {
      // The job ran; the verdict (failed) belongs to validation.
      st.outcome.guard_violation = true;
      st.outcome.guard_detail = v;
      return cancel_job_then_finish(self);
    }
    if (st.outcome.job.terminal()) return finish(self);
    schedule_poll(self);
  });
}

}  // namespace

gateway_poller_actor::behavior_type gateway_poller(poller_pointer self, http_client_actor http,
                                                   PollerSettings settings, ansible_worker_actor ansible) {
  auto& st = self->state;
  st.http = std::move(http);
  st.ansible = std::move(ansible);
  st.gateway = settings.gateway == GatewayKind::servicenow ? make_servicenow_gateway(settings)
                                                           : make_runner_gateway(settings);
  st.settings = std::move(settings);
  st.host = std::make_unique<Host>(self);
  return {
      [=](execute_atom, ExecuteRequest& req) -> caf::result<ExecuteOutcome> {
        auto& st = self->state;
        st.request = std::move(req);
        st.interval_ms = std::max<std::uint32_t>(st.request.poll_initial_ms, 1);
        st.began = std::chrono::steady_clock::now();
        if (st.settings.chaos) st.chaos.emplace();
        st.promise = self->make_response_promise<ExecuteOutcome>();
        self->delayed_send(self, std::chrono::milliseconds(st.request.timeout_ms), deadline_atom::value);
        st.gateway->create(*st.host);
        return st.promise;
      },
      [=](cancel_atom) {
        auto& st = self->state;
        if (st.replied) return;
        if (++st.interrupts == 1) {
          // Already concluding, or a cancel (timeout, guard) already under way: that
          // ends on its own bound and keeps its own verdict.
          if (st.ended || st.cancelling) return;
          set_failure(self, runner_errc::interrupted, "run interrupted");
          return cancel_job_then_finish(self);
        }
        // A second interrupt: nothing remote is waited for any longer (a cancel or the
        // strategy's last exchanges may still be in flight; their answers are dropped).
        const bool was_cancelling = st.cancelling && !st.ended;
        set_failure(self, runner_errc::interrupted, "run interrupted");
        if (was_cancelling)
          note_cancel(self, "the cancel of job " + st.outcome.job_id + " was not waited for (second interrupt)");
        else if (st.ended)
          note_cancel(self, "the gateway's last exchanges were not waited for (second interrupt)");
        st.ended = true;
        st.host->concluded();
      },
      [=](poll_atom) {
        auto& st = self->state;
        if (over(self)) return;
        heartbeat(self);
        if (!st.gateway->created())
          st.gateway->create(*st.host);
        else if (st.outcome.job_id.empty())
          st.gateway->find_job(*st.host);
        else
          poll_job(self);
      },
      [=](deadline_atom) {
        auto& st = self->state;
        if (st.ended) return;
        set_failure(self, runner_errc::timeout,
                    "the job did not finish within " + std::to_string(st.request.timeout_ms / 1000) + " s");
        cancel_job_then_finish(self);
      },
  };
}

gateway_poller_actor spawn_gateway_poller(caf::actor_system& sys, http_client_actor http,
                                          const PollerSettings& settings, ansible_worker_actor ansible) {
  return sys.spawn(gateway_poller, std::move(http), settings, std::move(ansible));
}

}  // namespace runner
