// The RAM broker's admission policy alone (no actors): packing order, bounded
// bypass, host exclusivity, and the FIFO baseline the benchmark compares against.
#include <catch2/catch.hpp>

#include "core/admission_policy.hpp"

using namespace runner;

namespace {
std::vector<std::uint64_t> tickets(const std::vector<AdmissionItem>& items) {
  std::vector<std::uint64_t> out;
  for (const auto& i : items) out.push_back(i.ticket);
  return out;
}
}  // namespace

TEST_CASE("admission: largest first, then what fits fills the rest", "[admission]") {
  AdmissionPolicy p(4096);
  p.enqueue({1, 1024, {}, 0});
  p.enqueue({2, 4096, {}, 0});
  p.enqueue({3, 1024, {}, 0});
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{2});  // the big one first
  CHECK(p.leased() == 4096);
  p.release(2);
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{1, 3});  // equal areas keep arrival order
  CHECK(p.active() == 2);
}

TEST_CASE("admission: the area (MiB x expected duration) decides the order", "[admission]") {
  AdmissionPolicy p(1024);
  p.enqueue({1, 1024, {}, 10'000});
  p.enqueue({2, 1024, {}, 90'000});  // same memory, nine times longer: goes first
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{2});
}

TEST_CASE("admission: a waiting large request is passed at most max_bypass times", "[admission]") {
  AdmissionPolicy p(4, AdmissionPolicy::Kind::pack, 2);
  p.enqueue({1, 3, {}, 0});
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{1});
  p.enqueue({2, 4, {}, 0});  // needs everything: waits
  for (std::uint64_t t = 10; t < 15; ++t) p.enqueue({t, 1, {}, 0});
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{10});  // bypass 1
  p.release(10);
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{11});  // bypass 2
  p.release(11);
  CHECK(p.admit().empty());  // the reservation: nothing passes the big one any more
  p.release(1);
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{2});
  p.release(2);
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{12, 13, 14});
}

TEST_CASE("admission: fifo lets the head block everyone behind it", "[admission]") {
  AdmissionPolicy p(4, AdmissionPolicy::Kind::fifo);
  p.enqueue({1, 3, {}, 0});
  p.enqueue({2, 4, {}, 0});
  p.enqueue({3, 1, {}, 0});
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{1});
  CHECK(p.waiting() == 2);
  p.release(1);
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{2});
}

TEST_CASE("admission: a host is never in two leases, and drain refuses the rest", "[admission]") {
  AdmissionPolicy p(100);
  p.enqueue({1, 1, {"h1"}, 0});
  p.enqueue({2, 1, {"h1"}, 0});
  p.enqueue({3, 1, {"h2"}, 0});
  CHECK(tickets(p.admit()) == std::vector<std::uint64_t>{1, 3});
  CHECK(p.drain() == std::vector<std::uint64_t>{2});
  p.release(1);
  CHECK(p.admit().empty());
}
