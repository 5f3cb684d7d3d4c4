#include <caf/all.hpp>

#include <deque>
#include <map>
#include <set>

#include "actors/interfaces.hpp"

namespace runner {
namespace {

struct ram_broker_state {
  /// Budget and what is leased now (MiB; host mode uses 1 "slot" per scenario).
  std::uint64_t budget = 0;
  std::uint64_t leased = 0;
  std::uint64_t next_id = 1;
  struct Lease {
    std::uint64_t mib;
    std::vector<std::string> hosts;
    caf::actor_addr holder;
  };
  std::map<std::uint64_t, Lease> leases;
  /// Hosts in use by a lease.
  std::multiset<std::string> busy_hosts;
  /// Requests that do not fit yet, first come first served.
  struct Waiting {
    LeaseRequest req;
    caf::response_promise promise;
    caf::actor_addr holder;
  };
  std::deque<Waiting> queue;
  bool closed = false;
  static inline const char* name = "ram-broker";
};

using broker_pointer = ram_broker_actor::stateful_pointer<ram_broker_state>;

bool fits(const ram_broker_state& st, const LeaseRequest& req) {
  if (st.leased + req.mib > st.budget) return false;
  for (const auto& h : req.hosts)
    if (st.busy_hosts.count(h)) return false;
  return true;
}

void grant(broker_pointer self, const LeaseRequest& req, const caf::actor_addr& holder, caf::response_promise& rp) {
  auto& st = self->state;
  const auto id = st.next_id++;
  st.leased += req.mib;
  for (const auto& h : req.hosts) st.busy_hosts.insert(h);
  st.leases.emplace(id, ram_broker_state::Lease{req.mib, req.hosts, holder});
  self->monitor(holder);
  rp.deliver(LeaseGrant{id});
}

void admit_waiting(broker_pointer self) {
  auto& st = self->state;
  // Strict FIFO: the head waits until it fits, so a big request is never starved.
  while (!st.queue.empty() && fits(st, st.queue.front().req)) {
    auto w = std::move(st.queue.front());
    st.queue.pop_front();
    grant(self, w.req, w.holder, w.promise);
  }
}

void free_lease(broker_pointer self, std::uint64_t id) {
  auto& st = self->state;
  auto it = st.leases.find(id);
  if (it == st.leases.end()) return;
  st.leased -= it->second.mib;
  for (const auto& h : it->second.hosts) st.busy_hosts.erase(st.busy_hosts.find(h));
  st.leases.erase(it);
  admit_waiting(self);
}

}  // namespace

ram_broker_actor::behavior_type ram_broker(broker_pointer self, std::uint64_t budget) {
  self->state.budget = budget;
  self->set_down_handler([=](const caf::down_msg& dm) {
    std::vector<std::uint64_t> orphaned;
    for (const auto& [id, lease] : self->state.leases)
      if (lease.holder == dm.source) orphaned.push_back(id);
    for (auto id : orphaned) free_lease(self, id);
  });
  return {
      [=](const LeaseRequest& req) -> caf::result<LeaseGrant> {
        auto& st = self->state;
        if (st.closed) return caf::make_error(caf::sec::request_receiver_down, "admission closed");
        if (req.mib > st.budget)
          return caf::make_error(caf::sec::invalid_argument,
                                 req.holder + " needs " + std::to_string(req.mib) + " MiB, more than the whole budget");
        // Read the sender first: make_response_promise() takes it out of the message.
        auto holder = caf::actor_cast<caf::actor_addr>(self->current_sender());
        auto rp = self->make_response_promise<LeaseGrant>();
        if (st.queue.empty() && fits(st, req))
          grant(self, req, holder, rp);
        else
          st.queue.push_back({req, rp, holder});
        return rp;
      },
      [=](release_atom, std::uint64_t id) { free_lease(self, id); },
      [=](close_atom) {
        auto& st = self->state;
        st.closed = true;
        for (auto& w : st.queue) w.promise.deliver(caf::make_error(caf::sec::request_receiver_down, "admission closed"));
        st.queue.clear();
      },
  };
}

ram_broker_actor spawn_ram_broker(caf::actor_system& sys, std::uint64_t budget) { return sys.spawn(ram_broker, budget); }

}  // namespace runner
