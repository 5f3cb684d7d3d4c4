// The ServiceNow gateway: the ticket is an incident in the instance; the engine
// picks it up and the job is found through the engine by incident number. At the
// end the incident is read back (state, close notes, journal) for the gateway rules,
// and one left open is cancelled with a note so the instance is not littered.
#include <spdlog/spdlog.h>

#include <set>

#include "actors/gateway_poller.hpp"
#include "actors/gateways/gateway.hpp"
#include "actors/system_config.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/http/retry_policy.hpp"
#include "adapters/servicenow/servicenow_api.hpp"

namespace runner {
namespace {

class ServiceNowGateway : public Gateway {
 public:
  explicit ServiceNowGateway(const PollerSettings& s)
      : engine_{s.engine_url, s.engine_api_key},
        instance_{s.servicenow_url, s.servicenow_username, s.servicenow_password},
        group_(s.assignment_group),
        caller_(s.caller_id) {}

  bool created() const override { return !incident_.sys_id.empty(); }

  // A create is never retried blindly: after a failure the correlation value is
  // looked up, and an incident that was created after all is adopted.
  void create(GatewayHost& host) override {
    ++create_attempts_;
    host.ask(servicenow::create_incident(instance_, host.request().ticket, group_, caller_),
             [this, &host](const HttpResponse& r) {
               if (credentials_refused(host, r)) return;
               auto ref = r.status == 201 || r.status == 200 ? servicenow::parse_incident_ref(r.body) : std::nullopt;
               if (!ref) return adopt_or_retry(host, r);
               adopt(host, *ref);
             });
  }

  void find_job(GatewayHost& host) override {
    host.ask(engine_api::find_job_by_incident(engine_, incident_.number), [&host](const HttpResponse& r) {
      if (!host.usable(r, "finding the incident's job")) return;
      auto job_id = engine_api::parse_first_job_id(r.body);
      if (!job_id) return host.fail("the engine returned an unreadable job list");
      if (job_id->empty()) return host.try_again_later();
      host.job_found(*job_id);
    });
  }

  // The incident's state, close notes and journal become the job's ticket data
  // (ticket_status and the gateway rules); an incident still open is cancelled.
  void conclude(GatewayHost& host) override {
    if (incident_.sys_id.empty()) return host.concluded();
    // The incident exists: its rules are evaluated, and fail if it cannot be read.
    host.outcome().job.has_ticket = true;
    auto req = servicenow::read_incident(instance_, incident_.sys_id);
    req.max_attempts = 10;  // the last word on the verdict: be patient with a flaky instance
    host.ask(std::move(req), [this, &host](const HttpResponse& r) {
      auto state = r.status == 200 ? servicenow::parse_incident_state(r.body) : std::nullopt;
      if (!state) {  // unreadable: the ticket rules fail
        spdlog::warn("incident {}: cannot read its state ({})", incident_.number,
                     r.status ? "HTTP " + std::to_string(r.status) : r.error);
        return host.concluded();
      }
      auto& job = host.outcome().job;
      incident_body_ = r.body;
      job.ticket_state = servicenow::state_label(state->state);
      job.gateway_summary = state->close_notes;
      open_ = !servicenow::is_closed_state(state->state);
      read_journal(host, 0);
    });
  }

 private:
  // The journal a page at a time until a page comes back empty (an instance may hold
  // fewer entries per page than asked), at most max_journal_pages pages; then the
  // trajectory's record, and an incident still open is cancelled.
  void read_journal(GatewayHost& host, int offset) {
    if (offset == 0) {
      host.outcome().job.gateway_messages.clear();
      journal_pages_.clear();
      journal_seen_.clear();
    }
    auto req = servicenow::read_journal(instance_, incident_.sys_id, offset);
    req.max_attempts = 10;
    host.ask(std::move(req), [this, &host, offset](const HttpResponse& j) {
      auto entries = j.status == 200 ? servicenow::parse_journal_values(j.body) : std::nullopt;
      if (entries) journal_pages_.push_back(j.body);  // an empty last page adds no entry
      std::size_t fresh = 0;
      if (entries)
        for (const auto& e : *entries)
          if (e.sys_id.empty() || journal_seen_.insert(e.sys_id).second) {
            host.outcome().job.gateway_messages.push_back(e.value);
            ++fresh;
          }
      if (fresh > 0) {
        if (journal_pages_.size() < max_journal_pages)
          return read_journal(host, offset + static_cast<int>(entries->size()));
        spdlog::warn("incident {}: journal longer than {} pages; the rest is not read", incident_.number,
                     max_journal_pages);
      } else if (!entries) {
        spdlog::warn("incident {}: cannot read its journal ({})", incident_.number,
                     j.status ? "HTTP " + std::to_string(j.status) : j.error);
      }
      host.outcome().ticket_record_json = servicenow::ticket_record(incident_body_, journal_pages_);
      if (!open_) return host.concluded();
      host.ask(servicenow::close_incident(instance_, incident_.sys_id, close_note(host)),
               [&host](const HttpResponse&) { host.concluded(); });
    });
  }

  static constexpr std::size_t max_journal_pages = 100;
  bool credentials_refused(GatewayHost& host, const HttpResponse& r) {
    if (r.status != 401 && r.status != 403) return false;
    host.fail("ServiceNow rejected SERVICENOW_USERNAME/SERVICENOW_PASSWORD (HTTP " + std::to_string(r.status) + ")");
    return true;
  }

  void adopt(GatewayHost& host, const servicenow::IncidentRef& ref) {
    incident_ = ref;
    host.ticket_created(ref.number);
  }

  void adopt_or_retry(GatewayHost& host, const HttpResponse& failure) {
    const std::string corr = servicenow::correlation_id(host.request().ticket);
    host.ask(servicenow::find_by_correlation(instance_, corr), [this, &host, corr, failure](const HttpResponse& r) {
      if (credentials_refused(host, r)) return;
      auto ref = r.status == 200 ? servicenow::parse_first_incident_ref(r.body) : std::nullopt;
      // Adopt only our own incident: the lookup must echo our correlation value.
      if (ref && !ref->sys_id.empty() && ref->correlation_id == corr) return adopt(host, *ref);
      // A refusal (4xx) is final; transient failures are tried again until the deadline.
      if (!is_transient(failure)) return host.refused("creating the incident", failure);
      // Not there: the create really failed. Back off, then create again.
      host.try_again_in(std::chrono::milliseconds(failure.retry_after_s ? failure.retry_after_s * 1000
                                                                        : 200u << std::min(create_attempts_, 5u)));
    });
  }

  std::string close_note(GatewayHost& host) const {
    const auto& t = host.request().ticket;
    const auto failure = host.failure();
    return "Closed by 2501-runner: benchmark " + t.benchmark_id + ", scenario " + t.scenario_key + " #" +
           std::to_string(t.iteration) + " ended (" +
           (failure ? std::string(to_string(*failure)) : "job " + host.outcome().job.status) +
           ") with the incident still open.";
  }

  engine_api::Endpoint engine_;
  servicenow::Instance instance_;
  std::string group_, caller_;
  servicenow::IncidentRef incident_;
  std::uint32_t create_attempts_ = 0;  // shapes the backoff between creates
  std::string incident_body_;          // the incident as last read, for the trajectory
  std::vector<std::string> journal_pages_;  // the journal's pages as read, for the trajectory
  std::set<std::string> journal_seen_;      // sys_ids of the entries read: a page that repeats them ends the reading
  bool open_ = false;                  // the incident was not closed when read
};

}  // namespace

std::unique_ptr<Gateway> make_servicenow_gateway(const PollerSettings& settings) {
  return std::make_unique<ServiceNowGateway>(settings);
}

}  // namespace runner
