#pragma once
// The RAM broker's admission decisions, without CAF so the scheduling benchmark
// drives the very same code with simulated time.
//
// Policy `pack` (the default, docs/architecture.md "Admission policy"): waiting
// requests are ordered by area (MiB x expected duration, MiB alone when no duration
// is known), largest first, then arrival; every request that fits the free budget
// (and whose hosts are free) is admitted in that order, so small ones fill the gaps
// a large one cannot use. The largest waiting request may be passed over at most
// `max_bypass` times; after that nothing else starts until it fits, so a large
// scenario is never starved by a stream of small ones.
// Policy `fifo`: strict arrival order, the head blocks everyone behind it.
#include <cstdint>
#include <list>
#include <set>
#include <string>
#include <vector>

namespace runner {

struct AdmissionItem {
  std::uint64_t ticket = 0;   // caller's id for the request
  std::uint64_t mib = 1;
  std::vector<std::string> hosts;  // exclusive while leased
  std::uint64_t expected_ms = 0;   // 0 = unknown
};

class AdmissionPolicy {
 public:
  enum class Kind { pack, fifo };
  explicit AdmissionPolicy(std::uint64_t budget_mib, Kind kind = Kind::pack, std::size_t max_bypass = 16);

  std::uint64_t budget() const { return budget_; }
  std::uint64_t leased() const { return leased_; }
  std::size_t active() const { return active_.size(); }
  std::size_t waiting() const { return queue_.size(); }

  void enqueue(AdmissionItem item);
  // Grants what may start now (booked as leased), in grant order.
  std::vector<AdmissionItem> admit();
  // A lease ends; its budget and hosts are free again.
  void release(std::uint64_t ticket);
  // Drops every waiting request (returns their tickets).
  std::vector<std::uint64_t> drain();

 private:
  bool fits(const AdmissionItem& item) const;
  void book(const AdmissionItem& item);

  struct Waiting {
    AdmissionItem item;
    std::size_t bypassed = 0;
  };
  std::uint64_t budget_, leased_ = 0;
  Kind kind_;
  std::size_t max_bypass_;
  std::list<Waiting> queue_;  // kept in policy order (arrival order among equals)
  std::vector<AdmissionItem> active_;
  std::multiset<std::string> busy_hosts_;
};

}  // namespace runner
