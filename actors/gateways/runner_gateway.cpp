// The runner gateway: the ticket is created through the engine's own endpoint, and
// the ticket names its job once the platform picked it up.
#include "actors/gateway_poller.hpp"
#include "actors/gateways/gateway.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/http/retry_policy.hpp"

namespace runner {
namespace {

class RunnerGateway : public Gateway {
 public:
  explicit RunnerGateway(const PollerSettings& s) : engine_{s.engine_url, s.engine_api_key} {}

  bool created() const override { return !ticket_id_.empty(); }

  // One Idempotency-Key per scenario-iteration of a benchmark (and per attempt of
  // `run --retries`: a retried iteration gets a new ticket, never the old job), so
  // every retry of this create, however many, names the same ticket. A create that
  // still fails transiently after the client's retries is tried again at the next poll.
  void create(GatewayHost& host) override {
    const auto& t = host.request().ticket;
    const std::string key = t.benchmark_id + ":" + t.scenario_key + ":" + std::to_string(t.iteration) +
                            (t.attempt > 1 ? ":attempt-" + std::to_string(t.attempt) : "");
    host.ask(engine_api::create_ticket(engine_, t, key), [this, &host](const HttpResponse& r) {
      const bool created = r.status == 200 || r.status == 201;
      if (!created && is_transient(r)) return host.try_again_later();
      if (!created) return host.refused("creating the ticket", r);
      auto id = engine_api::parse_created_ticket_id(r.body);
      if (!id) return host.fail("the engine's ticket reply has no id");
      ticket_id_ = *id;
      host.ticket_created(*id);
    });
  }

  void find_job(GatewayHost& host) override {
    host.ask(engine_api::get_ticket(engine_, ticket_id_), [&host](const HttpResponse& r) {
      if (!host.usable(r, "reading the ticket")) return;
      auto job_id = engine_api::parse_ticket_job_id(r.body);
      if (!job_id) return host.fail("the engine returned an unreadable ticket");
      if (job_id->empty()) return host.try_again_later();  // no job yet
      host.job_found(*job_id);
    });
  }

 private:
  engine_api::Endpoint engine_;
  std::string ticket_id_;
};

}  // namespace

std::unique_ptr<Gateway> make_runner_gateway(const PollerSettings& settings) {
  return std::make_unique<RunnerGateway>(settings);
}

}  // namespace runner
