// Drives N concurrent jobs (default 2000) through the HTTP client and gateway pollers
// against the engine simulator, and prints the runner side's CPU time, peak RSS,
// thread count and requests per job. Record the figures in docs/performance.md.
//
// usage: poller_bench [jobs] [path/to/2501-engine-sim]
#include <caf/all.hpp>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>

#include "actors/gateway_poller.hpp"
#include "actors/http_client.hpp"
#include "actors/system_config.hpp"

using namespace runner;

namespace {

int threads_now() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  return -1;
}

std::string sh_out(const std::string& cmd) {
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

long counter(const std::string& json, const std::string& name) {
  std::smatch m;
  return std::regex_search(json, m, std::regex("\"" + name + "\":([0-9]+)")) ? std::stol(m[1]) : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int jobs = argc > 1 ? std::stoi(argv[1]) : 2000;
  const std::string sim = argc > 2 ? argv[2] : "build/bin/2501-engine-sim";
  const int port = 20000 + (::getpid() % 20000);
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  const std::string sim_cmd = "ENGINE_SIM_API_KEY=bench " + sim + " --listen 127.0.0.1:" + std::to_string(port) +
                              " --behavior noop --pickup-delay-ms 1000 --job-duration-ms 5000"
                              " --http-threads 32 >/dev/null 2>&1 & echo $!";
  const std::string sim_pid = sh_out(sim_cmd);
  for (int i = 0; i < 50 && sh_out("curl -s " + url + "/_sim/counters").empty(); ++i) ::usleep(100'000);

  caf::actor_system_config cfg;
  configure_runner_system(cfg);
  caf::actor_system sys{cfg};
  auto http = spawn_http_client(sys);
  caf::scoped_actor self{sys};
  const auto t0 = std::chrono::steady_clock::now();
  int peak_threads = threads_now();
  for (int i = 0; i < jobs; ++i) {
    ExecuteRequest req;
    req.ticket.title = "bench";
    req.ticket.body = "bench";
    req.ticket.benchmark_id = "bench";
    req.ticket.scenario_key = "s" + std::to_string(i);
    req.timeout_ms = 300'000;
    req.poll_initial_ms = 1'000;  // the runner's defaults
    req.poll_max_ms = 10'000;
    auto poller = spawn_gateway_poller(sys, http, PollerSettings::engine(url, "bench", 30'000));
    self->send(poller, execute_atom::value, req);
  }
  int ok = 0, failed = 0;
  for (int i = 0; i < jobs; ++i) {
    self->receive([&](ExecuteOutcome&) { ++ok; }, [&](caf::error&) { ++failed; },
                  caf::after(std::chrono::seconds(120)) >> [&] { ++failed; });
    if (i % 100 == 0) peak_threads = std::max(peak_threads, threads_now());
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  const std::string counters = sh_out("curl -s " + url + "/_sim/counters");
  long requests = 0;
  for (const char* ep : {"requests.create_ticket", "requests.read_ticket", "requests.read_job"}) requests += counter(counters, ep);
  std::printf("jobs: %d (%d completed, %d failed)\n", jobs, ok, failed);
  std::printf("wall: %.1f s (pickup 1 s + job 5 s per job, all concurrent)\n", wall);
  std::printf("runner CPU: %.2f s (%.2f ms per job)\n", cpu, 1000.0 * cpu / jobs);
  std::printf("peak RSS: %.1f MB\n", ru.ru_maxrss / 1024.0);
  std::printf("peak threads: %d\n", peak_threads);
  std::printf("requests per job: %.2f (create 1 + ticket reads + job reads)\n", static_cast<double>(requests) / jobs);
  caf::anon_send_exit(http, caf::exit_reason::user_shutdown);
  sh_out("kill " + sim_pid);
  return failed == 0 ? 0 : 1;
}
