#pragma once
// A gateway: how a ticket is created and how its job is found, one strategy per
// gateway (runner, ServiceNow), chosen when the poller is spawned. The gateway
// poller owns the loop every gateway shares (poll schedule, deadline, cancel, the
// job's reads and guards) and offers a strategy the few things it may do through
// GatewayHost. No CAF here: a strategy only builds requests and reads answers.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "messages/errors.hpp"
#include "messages/execution.hpp"
#include "messages/http.hpp"

namespace runner {

struct PollerSettings;

// What a strategy may ask of the poller that runs it.
class GatewayHost {
 public:
  virtual ~GatewayHost() = default;
  // One exchange through the run's HTTP client (with the poller's timeout); `then`
  // runs on the poller, and only while the execute is not over.
  virtual void ask(HttpRequest req, std::function<void(const HttpResponse&)> then) = 0;
  // The common start of a read's answer: true for a 200; a transient failure is
  // tried again at the next poll, anything else fails the execute.
  virtual bool usable(const HttpResponse& r, const char* what) = 0;
  virtual void ticket_created(const std::string& ticket_id) = 0;  // next: find its job
  virtual void job_found(const std::string& job_id) = 0;          // next: poll the job
  virtual void try_again_later() = 0;                             // at the next poll
  virtual void try_again_in(std::chrono::milliseconds delay) = 0;
  virtual void fail(const std::string& message) = 0;              // a `gateway` error
  // The engine refused `what` for good: names a credentials problem (401/403) or
  // the status, and fails.
  virtual void refused(const char* what, const HttpResponse& r) = 0;
  virtual void concluded() = 0;  // the strategy's last word is said: reply now
  virtual const ExecuteRequest& request() const = 0;
  virtual ExecuteOutcome& outcome() = 0;
  // Why the execute failed so far (nullopt: it did not).
  virtual std::optional<runner_errc> failure() const = 0;
};

class Gateway {
 public:
  virtual ~Gateway() = default;
  // The ticket exists (the next poll looks for its job instead of creating it).
  virtual bool created() const = 0;
  virtual void create(GatewayHost& host) = 0;
  // One look for the ticket's job: job_found, try_again_later or fail.
  virtual void find_job(GatewayHost& host) = 0;
  // Before the reply, whatever happened: concluded() when done.
  virtual void conclude(GatewayHost& host) { host.concluded(); }
};

// The engine's runner gateway: POST a ticket with an idempotency key.
std::unique_ptr<Gateway> make_runner_gateway(const PollerSettings& settings);
// ServiceNow: an incident, never created twice; read back and closed at the end.
std::unique_ptr<Gateway> make_servicenow_gateway(const PollerSettings& settings);

}  // namespace runner
