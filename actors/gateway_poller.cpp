#include "actors/gateway_poller.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "actors/interfaces.hpp"
#include "actors/system_config.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/http/retry_policy.hpp"
#include "adapters/servicenow/servicenow_api.hpp"
#include "core/guards.hpp"
#include "core/utf8.hpp"

namespace runner {
namespace {

struct poller_state {
  PollerSettings settings;
  http_client_actor http;
  ExecuteRequest request;
  caf::response_promise promise;  // the pending execute
  ExecuteOutcome outcome;
  // Why the execute failed (a gateway failure, the timeout, an interrupt): the reply
  // is then this error instead of the outcome. The first cause wins.
  std::optional<runner_errc> failure;
  std::string failure_message;
  std::uint32_t interval_ms = 0;  // current poll interval
  bool done = false;
  bool cancelling = false;
  // ServiceNow gateway: the incident, and whether its state was read at the end.
  servicenow::IncidentRef incident;
  bool incident_read = false;
  std::uint32_t create_attempts = 0;
  static inline const char* name = "gateway-poller";
};

using poller_pointer = gateway_poller_actor::stateful_pointer<poller_state>;

engine_api::Endpoint endpoint(poller_pointer self) {
  return {self->state.settings.engine_url, self->state.settings.engine_api_key};
}

// Every exchange of this poller carries the configured timeout.
HttpRequest timed(poller_pointer self, HttpRequest r) {
  r.timeout_ms = self->state.settings.http_timeout_ms;
  return r;
}

bool servicenow_mode(poller_pointer self) { return self->state.settings.gateway == GatewayKind::servicenow; }

servicenow::Instance instance(poller_pointer self) {
  const auto& s = self->state.settings;
  return {s.servicenow_url, s.servicenow_username, s.servicenow_password};
}

void finish(poller_pointer self);

// ServiceNow: the incident's state, close notes and journal become the job's ticket
// data (for ticket_status and the gateway rules); an incident still open is then
// cancelled with a note so the instance is not littered.
void read_incident_then_finish(poller_pointer self) {
  auto& st = self->state;
  st.incident_read = true;
  if (st.incident.sys_id.empty()) return finish(self);
  // The incident exists: its rules are evaluated, and fail if it cannot be read.
  st.outcome.job.has_ticket = true;
  auto req = timed(self, servicenow::read_incident(instance(self), st.incident.sys_id));
  req.max_attempts = 10;  // the last word on the verdict: be patient with a flaky instance
  self->request(st.http, caf::infinite, std::move(req))
      .then([=](const HttpResponse& r) {
        auto state = r.status == 200 ? servicenow::parse_incident_state(r.body) : std::nullopt;
        if (!state) {
          spdlog::warn("incident {}: cannot read its state ({})", self->state.incident.number,
                       r.status ? "HTTP " + std::to_string(r.status) : r.error);
          return finish(self);
        }
        auto& job = self->state.outcome.job;
        job.ticket_state = servicenow::state_label(state->state);
        job.gateway_summary = state->close_notes;
        auto journal = timed(self, servicenow::read_journal(instance(self), self->state.incident.sys_id));
        journal.max_attempts = 10;
        self->request(self->state.http, caf::infinite, std::move(journal))
            .then([=](const HttpResponse& j) {
              if (j.status == 200) self->state.outcome.job.gateway_messages = servicenow::parse_journal_values(j.body);
              if (servicenow::is_closed_state(state->state)) return finish(self);
              const auto& t = self->state.request.ticket;
              const std::string note = "Closed by 2501-runner: benchmark " + t.benchmark_id + ", scenario " +
                                       t.scenario_key + " #" + std::to_string(t.iteration) + " ended (" +
                                       (self->state.failure ? std::string(to_string(*self->state.failure))
                                                            : "job " + self->state.outcome.job.status) +
                                       ") with the incident still open.";
              self->request(self->state.http, caf::infinite,
                            timed(self, servicenow::close_incident(instance(self), self->state.incident.sys_id, note)))
                  .then([=](const HttpResponse&) { finish(self); });
            });
      });
}

void finish(poller_pointer self) {
  auto& st = self->state;
  if (st.done) return;
  if (servicenow_mode(self) && !st.incident_read) return read_incident_then_finish(self);
  st.done = true;
  if (st.failure)
    st.promise.deliver(caf::make_error(*st.failure, st.failure_message, st.outcome.ticket_id, st.outcome.job_id));
  else
    st.promise.deliver(st.outcome);
  self->quit();
}

// Records why the execute failed (the first cause is kept).
void set_failure(poller_pointer self, runner_errc code, const std::string& message) {
  auto& st = self->state;
  if (st.failure) return;
  st.failure = code;
  st.failure_message = message;
}

void fail(poller_pointer self, const std::string& message) {
  set_failure(self, runner_errc::gateway, message);
  finish(self);
}

std::string describe(const HttpResponse& r) {
  if (r.status == 0) return r.error + " after " + std::to_string(r.attempts) + " attempt(s)";
  return "HTTP " + std::to_string(r.status) + " after " + std::to_string(r.attempts) + " attempt(s)";
}

// A 401/403 is named as a credentials problem; anything else as a gateway failure.
void fail_http(poller_pointer self, const char* what, const HttpResponse& r) {
  if (r.status == 401 || r.status == 403)
    fail(self, std::string(what) + ": the engine rejected ENGINE_API_KEY (HTTP " + std::to_string(r.status) + ")");
  else
    fail(self, std::string(what) + " failed: " + describe(r));
}

// Cancels the job (when there is one), then finishes with the outcome as it stands.
void cancel_job_then_finish(poller_pointer self) {
  auto& st = self->state;
  if (st.cancelling) return;
  st.cancelling = true;
  if (st.outcome.job_id.empty()) return finish(self);
  auto req = timed(self, engine_api::cancel_job(endpoint(self), st.outcome.job_id));
  req.max_attempts = 3;
  self->request(st.http, std::chrono::seconds(60), std::move(req))
      .then([=](const HttpResponse& r) {
        if (r.status < 200 || r.status >= 300) spdlog::warn("cancel of job {}: {}", self->state.outcome.job_id, describe(r));
        finish(self);
      },
            [=](const caf::error&) { finish(self); });
}

void schedule_poll(poller_pointer self) {
  auto& st = self->state;
  self->delayed_send(self, std::chrono::milliseconds(st.interval_ms), poll_atom::value);
  st.interval_ms = std::min<std::uint32_t>(st.interval_ms * 3 / 2 + 1, st.request.poll_max_ms);
}

void find_job(poller_pointer self);

// The common start of every poll's reply: false when the poll is over for this round.
// A read that still fails after the client's retries is tried again at the next poll
// (only the deadline ends the wait); credentials problems are final.
bool usable_poll(poller_pointer self, const HttpResponse& r, const char* what) {
  auto& st = self->state;
  if (st.done || st.cancelling) return false;
  ++st.outcome.polls;
  if (r.status == 200) return true;
  if (is_transient(r))
    schedule_poll(self);
  else
    fail_http(self, what, r);
  return false;
}

void poll_job(poller_pointer self) {
  auto& st = self->state;
  self->request(st.http, caf::infinite, timed(self, engine_api::get_job(endpoint(self), st.outcome.job_id)))
      .then([=](const HttpResponse& r) {
        if (!usable_poll(self, r, "reading the job")) return;
        auto& st = self->state;
        auto job = engine_api::parse_job(r.body);
        if (!job) return fail(self, "the engine returned an unreadable job: " + utf8_truncate(r.body, 200));
        st.outcome.job = std::move(*job);
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

// ServiceNow: the job of the incident, through the engine (by incident number).
void find_job_of_incident(poller_pointer self) {
  auto& st = self->state;
  self->request(st.http, caf::infinite,
                timed(self, engine_api::find_job_by_incident(endpoint(self), st.incident.number)))
      .then([=](const HttpResponse& r) {
        if (!usable_poll(self, r, "finding the incident's job")) return;
        auto& st = self->state;
        auto job_id = engine_api::parse_first_job_id(r.body);
        if (!job_id) return fail(self, "the engine returned an unreadable job list");
        if (job_id->empty()) return schedule_poll(self);
        st.outcome.job_id = *job_id;
        st.interval_ms = st.request.poll_initial_ms;
        poll_job(self);
      });
}

void find_job(poller_pointer self) {
  auto& st = self->state;
  if (servicenow_mode(self)) return find_job_of_incident(self);
  self->request(st.http, caf::infinite, timed(self, engine_api::get_ticket(endpoint(self), st.outcome.ticket_id)))
      .then([=](const HttpResponse& r) {
        if (!usable_poll(self, r, "reading the ticket")) return;
        auto& st = self->state;
        auto job_id = engine_api::parse_ticket_job_id(r.body);
        if (!job_id) return fail(self, "the engine returned an unreadable ticket");
        if (job_id->empty()) return schedule_poll(self);  // no job yet
        st.outcome.job_id = *job_id;
        st.interval_ms = st.request.poll_initial_ms;  // a fresh job: look closely again
        poll_job(self);
      });
}

// ServiceNow: a create is never retried blindly. After a failure the correlation
// value is looked up: an incident that was created after all is adopted.
void create_incident(poller_pointer self);

void adopt_or_retry(poller_pointer self, const HttpResponse& failure) {
  auto& st = self->state;
  const std::string corr = servicenow::correlation_id(st.request.ticket);
  self->request(st.http, caf::infinite, timed(self, servicenow::find_by_correlation(instance(self), corr)))
      .then([=](const HttpResponse& r) {
        auto& st = self->state;
        if (st.done || st.cancelling) return;
        if (r.status == 401 || r.status == 403)
          return fail(self, "ServiceNow rejected SERVICENOW_USERNAME/SERVICENOW_PASSWORD (HTTP " +
                                           std::to_string(r.status) + ")");
        auto ref = r.status == 200 ? servicenow::parse_first_incident_ref(r.body) : std::nullopt;
        // Adopt only our own incident: the lookup must echo our correlation value.
        if (ref && !ref->sys_id.empty() && ref->correlation_id == corr) {
          st.incident = *ref;
          st.outcome.ticket_id = ref->number;
          return find_job(self);
        }
        // A refusal (4xx) is final; transient failures are tried again until the deadline.
        if (!is_transient(failure)) return fail_http(self, "creating the incident", failure);
        // Not there: the create really failed. Back off, then create again.
        const auto delay = std::chrono::milliseconds(failure.retry_after_s ? failure.retry_after_s * 1000
                                                                           : 200u << std::min(st.create_attempts, 5u));
        // (create_attempts only shapes the backoff)
        self->delayed_send(self, delay, poll_atom::value);
      });
}

void create_incident(poller_pointer self) {
  auto& st = self->state;
  ++st.create_attempts;
  self->request(st.http, caf::infinite,
                timed(self, servicenow::create_incident(instance(self), st.request.ticket, st.settings.assignment_group,
                                                        st.settings.caller_id)))
      .then([=](const HttpResponse& r) {
        auto& st = self->state;
        if (st.done || st.cancelling) return;
        if (r.status == 401 || r.status == 403)
          return fail(self, "ServiceNow rejected SERVICENOW_USERNAME/SERVICENOW_PASSWORD (HTTP " +
                                           std::to_string(r.status) + ")");
        auto ref = r.status == 201 || r.status == 200 ? servicenow::parse_incident_ref(r.body) : std::nullopt;
        if (!ref) return adopt_or_retry(self, r);
        st.incident = *ref;
        st.outcome.ticket_id = ref->number;
        find_job(self);
      });
}

// Runner gateway: one Idempotency-Key per scenario-iteration of a benchmark, so
// every retry of this create, however many, names the same ticket. A create that
// still fails transiently after the client's retries is tried again at the next poll.
void create_ticket(poller_pointer self) {
  auto& st = self->state;
  const auto& t = st.request.ticket;
  const std::string key = t.benchmark_id + ":" + t.scenario_key + ":" + std::to_string(t.iteration);
  self->request(st.http, caf::infinite, timed(self, engine_api::create_ticket(endpoint(self), t, key)))
      .then([=](const HttpResponse& r) {
        auto& st = self->state;
        if (st.done || st.cancelling) return;
        if (r.status != 200 && r.status != 201 && is_transient(r)) return schedule_poll(self);
        if (r.status != 200 && r.status != 201) return fail_http(self, "creating the ticket", r);
        auto id = engine_api::parse_created_ticket_id(r.body);
        if (!id) return fail(self, "the engine's ticket reply has no id");
        st.outcome.ticket_id = *id;
        find_job(self);
      });
}

}  // namespace

gateway_poller_actor::behavior_type gateway_poller(poller_pointer self, http_client_actor http,
                                                   PollerSettings settings) {
  self->state.http = std::move(http);
  self->state.settings = std::move(settings);
  return {
      [=](execute_atom, ExecuteRequest& req) -> caf::result<ExecuteOutcome> {
        auto& st = self->state;
        st.request = std::move(req);
        st.interval_ms = std::max<std::uint32_t>(st.request.poll_initial_ms, 1);
        st.promise = self->make_response_promise<ExecuteOutcome>();
        self->delayed_send(self, std::chrono::milliseconds(st.request.timeout_ms), deadline_atom::value);
        if (servicenow_mode(self)) {
          create_incident(self);
          return st.promise;
        }
        create_ticket(self);
        return st.promise;
      },
      [=](cancel_atom) {
        auto& st = self->state;
        if (st.done) return;
        set_failure(self, runner_errc::interrupted, "run interrupted; job cancelled");
        cancel_job_then_finish(self);
      },
      [=](poll_atom) {
        auto& st = self->state;
        if (st.done || st.cancelling) return;
        if (servicenow_mode(self) && st.incident.sys_id.empty())
          create_incident(self);
        else if (!servicenow_mode(self) && st.outcome.ticket_id.empty())
          create_ticket(self);
        else if (st.outcome.job_id.empty())
          find_job(self);
        else
          poll_job(self);
      },
      [=](deadline_atom) {
        auto& st = self->state;
        if (st.done) return;
        set_failure(self, runner_errc::timeout,
                    "the job did not finish within " + std::to_string(st.request.timeout_ms / 1000) + " s" +
                        (st.outcome.job_id.empty() ? " (no job was created)" : "; cancelled"));
        cancel_job_then_finish(self);
      },
  };
}

gateway_poller_actor spawn_gateway_poller(caf::actor_system& sys, http_client_actor http,
                                          const PollerSettings& settings) {
  return sys.spawn(gateway_poller, std::move(http), settings);
}

}  // namespace runner
