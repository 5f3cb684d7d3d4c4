// Schedules N scenario-iterations (default 500) with mixed memory (1, 2, 4 GB) and
// durations under a RAM budget (default 16 GB), and prints the makespan divided by
// the lower bound max(sum(mem x duration) / budget, longest duration) for:
//   - the broker's policy (pack) and the first-come-first-served baseline (fifo),
//     each with and without duration hints, on a simulated clock (the very
//     AdmissionPolicy the broker actor runs);
//   - the RAM broker actor itself with simulated providers: one CAF actor per
//     iteration leases, "runs" for its duration (a timer, 1 simulated s = 1 ms) and
//     releases; real clock.
// Record the figures in docs/performance.md. Aim: at most 1.10 for the broker.
//
// usage: sched_bench [iterations] [budget_gb] [seed]
#include <caf/all.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <queue>
#include <random>

#include "core/admission_policy.hpp"
#include "actors/http_client.hpp"
#include "actors/system_config.hpp"
#include "actors/ram_broker.hpp"

using namespace runner;

namespace {

struct Job {
  std::uint64_t mib;
  std::uint64_t ms;  // duration
};

std::vector<Job> make_jobs(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::discrete_distribution<int> mem({50, 30, 20});  // 1, 2, 4 GB
  // Durations of real scenario-iterations: mostly 1-5 minutes, a tail to 15.
  std::lognormal_distribution<double> dur(std::log(150.0), 0.6);
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < n; ++i)
    jobs.push_back({1024ull << mem(rng), static_cast<std::uint64_t>(std::clamp(dur(rng), 20.0, 900.0) * 1000)});
  return jobs;
}

double lower_bound_ms(const std::vector<Job>& jobs, std::uint64_t budget) {
  long double area = 0;
  std::uint64_t longest = 0;
  for (const auto& j : jobs) {
    area += static_cast<long double>(j.mib) * j.ms;
    longest = std::max(longest, j.ms);
  }
  return std::max<double>(static_cast<double>(area / budget), static_cast<double>(longest));
}

// Discrete-event simulation: every job is queued at t=0 (the supervisor asks for all
// at once in parallel mode); releases happen at start + duration.
double simulate(const std::vector<Job>& jobs, std::uint64_t budget, AdmissionPolicy::Kind kind, bool hints) {
  AdmissionPolicy policy(budget, kind);
  for (std::size_t i = 0; i < jobs.size(); ++i) policy.enqueue({i, jobs[i].mib, {}, hints ? jobs[i].ms : 0});
  using Event = std::pair<std::uint64_t, std::uint64_t>;  // (end time, ticket)
  std::priority_queue<Event, std::vector<Event>, std::greater<>> running;
  std::uint64_t now = 0, makespan = 0;
  auto start_admitted = [&] {
    for (const auto& item : policy.admit()) running.push({now + jobs[item.ticket].ms, item.ticket});
  };
  start_admitted();
  while (!running.empty()) {
    auto [end, ticket] = running.top();
    running.pop();
    now = end;
    makespan = std::max(makespan, end);
    policy.release(ticket);
    start_admitted();
  }
  return static_cast<double>(makespan);
}

// The broker actor with simulated providers: time compressed 1000x.
double run_broker_actor(const std::vector<Job>& jobs, std::uint64_t budget, bool hints) {
  caf::actor_system_config cfg;
  configure_runner_system(cfg);
  caf::actor_system sys{cfg};
  auto broker = spawn_ram_broker(sys, budget);
  caf::scoped_actor self{sys};
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const Job j = jobs[i];
    auto done = caf::actor_cast<caf::actor>(self);
    sys.spawn([=](caf::event_based_actor* me) -> caf::behavior {
      me->request(broker, caf::infinite, LeaseRequest{"job", j.mib, {}, hints ? j.ms : 0})
          .then([=](const LeaseGrant& g) {
            me->delayed_send(me, std::chrono::microseconds(j.ms), release_atom::value, g.id);
          });
      return {[=](release_atom, std::uint64_t id) {
        me->send(broker, release_atom::value, id);
        me->send(done, tick_atom::value);
        me->quit();
      }};
    });
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) self->receive([](tick_atom) {});
  const double elapsed_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  caf::anon_send_exit(broker, caf::exit_reason::user_shutdown);
  return elapsed_us;  // in simulated ms (1 simulated ms = 1 us)
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 500;
  const std::uint64_t budget = (argc > 2 ? std::stoull(argv[2]) : 16) * 1024;
  const unsigned seed = argc > 3 ? static_cast<unsigned>(std::stoul(argv[3])) : 2501;
  const auto jobs = make_jobs(n, seed);
  const double lb = lower_bound_ms(jobs, budget);
  std::printf("sched_bench: %zu iterations, budget %llu MiB, seed %u, lower bound %.0f s\n", n,
              static_cast<unsigned long long>(budget), seed, lb / 1000);
  struct Row {
    const char* name;
    AdmissionPolicy::Kind kind;
    bool hints;
  };
  for (const Row& r : {Row{"pack, duration hints", AdmissionPolicy::Kind::pack, true},
                       Row{"pack, no hints", AdmissionPolicy::Kind::pack, false},
                       Row{"fifo (baseline)", AdmissionPolicy::Kind::fifo, false}}) {
    const double m = simulate(jobs, budget, r.kind, r.hints);
    std::printf("  policy %-22s makespan %7.0f s   ratio %.3f\n", r.name, m / 1000, m / lb);
  }
  for (bool hints : {true, false}) {
    const double m = run_broker_actor(jobs, budget, hints);
    std::printf("  broker actor, %-14s makespan %7.0f s   ratio %.3f  (real clock, 1 s = 1 ms)\n",
                hints ? "hints" : "no hints", m / 1000, m / lb);
  }
  return 0;
}
