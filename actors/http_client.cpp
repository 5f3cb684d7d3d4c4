#include "actors/http_client.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <random>
#include <unordered_map>

#include "actors/interfaces.hpp"
#include "adapters/http/curl_loop.hpp"
#include "adapters/http/retry_policy.hpp"

namespace runner {
namespace {

struct http_client_state {
  /// The one curl multi loop (its own thread).
  std::shared_ptr<CurlLoop> loop;
  struct Pending {
    HttpRequest request;
    caf::response_promise promise;
    std::uint32_t attempt = 1;
  };
  /// Exchanges in flight or waiting for a retry, by id.
  std::unordered_map<std::uint64_t, Pending> pending;
  std::uint64_t next_id = 1;
  std::mt19937_64 rng{std::random_device{}()};
  RetryPolicy policy;
  static inline const char* name = "http-client";
};

using http_pointer = http_client_actor::stateful_pointer<http_client_state>;

void submit(http_pointer self, std::uint64_t id) {
  auto& p = self->state.pending.at(id);
  // A weak address: the loop must not keep this actor alive.
  caf::actor_addr addr = self->address();
  self->state.loop->submit(id, p.request, [addr](std::uint64_t rid, HttpResponse resp) {
    if (auto me = caf::actor_cast<caf::actor>(addr)) caf::anon_send(me, http_done_atom::value, rid, std::move(resp));
  });
}

}  // namespace

http_client_actor::behavior_type http_client(http_pointer self, HttpClientSettings settings) {
  self->state.loop = std::make_shared<CurlLoop>();
  self->state.policy.base = settings.retry_base;
  self->state.policy.cap = settings.retry_cap;
  return {
      [=](HttpRequest& req) -> caf::result<HttpResponse> {
        auto& st = self->state;
        const auto id = st.next_id++;
        auto rp = self->make_response_promise<HttpResponse>();
        st.pending.emplace(id, http_client_state::Pending{std::move(req), rp, 1});
        submit(self, id);
        return rp;
      },
      [=](http_done_atom, std::uint64_t id, HttpResponse& resp) {
        auto& st = self->state;
        auto it = st.pending.find(id);
        if (it == st.pending.end()) return;
        auto& p = it->second;
        resp.attempts = p.attempt;
        if (auto delay = retry_delay(p.request, resp, p.attempt, st.rng, st.policy)) {
          spdlog::debug("http: {} -> {} (attempt {}), retrying in {} ms", p.request.label,
                        resp.status ? std::to_string(resp.status) : resp.error, p.attempt, delay->count());
          ++p.attempt;
          self->delayed_send(self, *delay, http_retry_atom::value, id);
          return;
        }
        p.promise.deliver(std::move(resp));
        st.pending.erase(it);
      },
      [=](http_retry_atom, std::uint64_t id) {
        if (self->state.pending.count(id)) submit(self, id);
      },
  };
}

http_client_actor spawn_http_client(caf::actor_system& sys, const HttpClientSettings& settings) {
  return sys.spawn(http_client, settings);
}

}  // namespace runner
