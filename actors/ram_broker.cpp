#include "actors/ram_broker.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

#include "actors/interfaces.hpp"
#include "adapters/json/json_text.hpp"
#include "core/admission_policy.hpp"

namespace runner {
namespace {

struct ram_broker_state {
  std::unique_ptr<AdmissionPolicy> policy;
  std::uint64_t next_ticket = 1;
  struct Pending {
    caf::response_promise promise;
    caf::actor_addr holder;
    std::uint32_t clones = 0;
  };
  std::map<std::uint64_t, Pending> waiting;  // by ticket
  struct Granted {
    caf::actor_addr holder;
    std::uint32_t clones = 0;
  };
  std::map<std::uint64_t, Granted> granted;  // by ticket
  std::uint64_t clones = 0;                  // clones of all granted leases
  bool closed = false;
  std::uint32_t not_passed = 0;  // releases of iterations that did not pass (--max-failures)
  // The capacity record (Benchmark.capacity).
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::uint64_t peak_mib = 0;
  std::uint64_t peak_clones = 0;
  struct Point {
    double seconds;
    std::uint64_t clones, mib;
  };
  std::vector<Point> timeline;
  static inline const char* name = "ram-broker";
};

using broker_pointer = ram_broker_actor::stateful_pointer<ram_broker_state>;

// One point per change, at most 20000 (a soak run keeps its peaks, loses detail).
void sample(broker_pointer self) {
  auto& st = self->state;
  st.peak_mib = std::max(st.peak_mib, st.policy->leased());
  st.peak_clones = std::max(st.peak_clones, st.clones);
  if (st.timeline.size() >= 20000) return;
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - st.started).count();
  st.timeline.push_back({std::round(t * 1000) / 1000, st.clones, st.policy->leased()});
}

void admit(broker_pointer self) {
  auto& st = self->state;
  auto granted = st.policy->admit();
  for (auto& item : granted) {
    auto it = st.waiting.find(item.ticket);
    if (it == st.waiting.end()) {  // nobody waits for it any more
      st.policy->release(item.ticket);
      continue;
    }
    st.granted.emplace(item.ticket, ram_broker_state::Granted{it->second.holder, it->second.clones});
    st.clones += it->second.clones;
    self->monitor(it->second.holder);
    it->second.promise.deliver(LeaseGrant{item.ticket});
    st.waiting.erase(it);
  }
  if (!granted.empty()) sample(self);
}

void free_lease(broker_pointer self, std::uint64_t ticket) {
  auto& st = self->state;
  auto it = st.granted.find(ticket);
  if (it == st.granted.end()) return;
  st.clones -= it->second.clones;
  st.granted.erase(it);
  st.policy->release(ticket);
  sample(self);
  admit(self);
}

// Stops admitting: every waiting and later request is refused (admission_closed).
void close_admission(broker_pointer self) {
  auto& st = self->state;
  st.closed = true;
  st.policy->drain();
  for (auto& [ticket, w] : st.waiting)
    w.promise.deliver(caf::make_error(runner_errc::admission_closed, std::string("admission closed")));
  st.waiting.clear();
}

}  // namespace

ram_broker_actor::behavior_type ram_broker(broker_pointer self, std::uint64_t budget, std::uint32_t max_failures) {
  self->state.policy = std::make_unique<AdmissionPolicy>(budget);
  self->set_down_handler([=](const caf::down_msg& dm) {
    auto& st = self->state;
    std::vector<std::uint64_t> orphaned;
    for (const auto& [ticket, lease] : st.granted)
      if (lease.holder == dm.source) orphaned.push_back(ticket);
    for (auto t : orphaned) free_lease(self, t);
  });
  return {
      [=](const LeaseRequest& req) -> caf::result<LeaseGrant> {
        auto& st = self->state;
        if (st.closed) return caf::make_error(runner_errc::admission_closed, std::string("admission closed"));
        if (req.mib > st.policy->budget())
          return caf::make_error(runner_errc::too_large, req.holder + " needs " + std::to_string(req.mib) +
                                                             " MiB, more than the whole budget");
        // Read the sender first: make_response_promise() takes it out of the message.
        auto holder = caf::actor_cast<caf::actor_addr>(self->current_sender());
        auto rp = self->make_response_promise<LeaseGrant>();
        const auto ticket = st.next_ticket++;
        st.waiting.emplace(ticket, ram_broker_state::Pending{rp, holder, req.clones});
        st.policy->enqueue({ticket, req.mib, req.hosts, req.expected_ms});
        admit(self);
        return rp;
      },
      [=](release_atom, std::uint64_t id) { free_lease(self, id); },
      // A lease given back with its iteration's verdict: with --max-failures, the
      // broker closes before the freed room admits anyone, so no iteration starts
      // after the limit while the supervisor still waits for the report.
      [=](release_atom, std::uint64_t id, bool passed) {
        auto& st = self->state;
        if (!passed && max_failures && ++st.not_passed >= max_failures && !st.closed) close_admission(self);
        free_lease(self, id);
      },
      [=](close_atom) { close_admission(self); },
      [=](usage_atom) {
        auto& st = self->state;
        return caf::make_result(std::uint64_t{st.clones}, std::uint64_t{st.policy->leased()},
                                std::uint64_t{st.policy->budget()});
      },
      [=](stats_atom) {
        auto& st = self->state;
        // [seconds, clones, MiB] per change: compact, and what docs/database.md documents.
        nlohmann::json timeline = nlohmann::json::array();
        for (const auto& p : st.timeline) timeline.push_back({p.seconds, p.clones, p.mib});
        return json_dump({{"budget_mib", st.policy->budget()},
                          {"peak_mib", st.peak_mib},
                          {"peak_clones", st.peak_clones},
                          {"timeline", std::move(timeline)}});
      },
  };
}

ram_broker_actor spawn_ram_broker(caf::actor_system& sys, std::uint64_t budget, std::uint32_t max_failures) {
  return sys.spawn(ram_broker, budget, max_failures);
}

}  // namespace runner
