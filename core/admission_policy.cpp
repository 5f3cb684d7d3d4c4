#include "core/admission_policy.hpp"

#include <algorithm>

namespace runner {
namespace {

// Area in MiB x seconds; the MiB alone stands in when no duration is known.
long double area(const AdmissionItem& i) {
  return static_cast<long double>(i.mib) * (i.expected_ms ? static_cast<long double>(i.expected_ms) : 1.0L);
}

}  // namespace

AdmissionPolicy::AdmissionPolicy(std::uint64_t budget_mib, Kind kind, std::size_t max_bypass)
    : budget_(budget_mib), kind_(kind), max_bypass_(max_bypass) {}

bool AdmissionPolicy::fits(const AdmissionItem& item) const {
  if (leased_ + item.mib > budget_) return false;
  for (const auto& h : item.hosts)
    if (busy_hosts_.count(h)) return false;
  return true;
}

void AdmissionPolicy::book(const AdmissionItem& item) {
  leased_ += item.mib;
  for (const auto& h : item.hosts) busy_hosts_.insert(h);
  active_.push_back(item);
}

void AdmissionPolicy::enqueue(AdmissionItem item) {
  Waiting w{std::move(item), 0};
  if (kind_ == Kind::fifo) {
    queue_.push_back(std::move(w));
    return;
  }
  // Insert before the first request with a smaller area (stable for equal areas).
  auto pos = std::find_if(queue_.begin(), queue_.end(), [&](const Waiting& q) { return area(q.item) < area(w.item); });
  queue_.insert(pos, std::move(w));
}

std::vector<AdmissionItem> AdmissionPolicy::admit() {
  std::vector<AdmissionItem> granted;
  auto it = queue_.begin();
  while (it != queue_.end()) {
    if (fits(it->item)) {
      book(it->item);
      granted.push_back(std::move(it->item));
      it = queue_.erase(it);
      continue;
    }
    if (kind_ == Kind::fifo) break;  // the head blocks everyone behind it
    // `it` does not fit: what comes after it may pass it, a bounded number of times.
    if (it->bypassed >= max_bypass_) break;  // its reservation: nothing else starts now
    auto next = std::next(it);
    while (next != queue_.end() && !fits(next->item)) ++next;
    if (next == queue_.end()) break;
    ++it->bypassed;
    book(next->item);
    granted.push_back(std::move(next->item));
    queue_.erase(next);
  }
  return granted;
}

void AdmissionPolicy::release(std::uint64_t ticket) {
  auto it = std::find_if(active_.begin(), active_.end(), [&](const AdmissionItem& a) { return a.ticket == ticket; });
  if (it == active_.end()) return;
  leased_ -= it->mib;
  for (const auto& h : it->hosts) busy_hosts_.erase(busy_hosts_.find(h));
  active_.erase(it);
}

std::vector<std::uint64_t> AdmissionPolicy::drain() {
  std::vector<std::uint64_t> out;
  for (const auto& w : queue_) out.push_back(w.item.ticket);
  queue_.clear();
  return out;
}

}  // namespace runner
