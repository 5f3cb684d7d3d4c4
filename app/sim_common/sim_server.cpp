#include "app/sim_common/sim_server.hpp"

#include <stdexcept>

#include <cstdlib>

#include <fstream>

#include <httplib.h>

#include <pthread.h>
#include <signal.h>

#include <csignal>
#include <thread>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "adapters/json/json_text.hpp"

namespace runner::sim {

std::optional<ListenAddress> parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  try {
    std::size_t used = 0;
    int port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || port < 0 || port > 65535) return std::nullopt;
    return ListenAddress{text.substr(0, colon), port};
  } catch (...) {
    return std::nullopt;
  }
}

bool serve(httplib::Server& server, const ListenAddress& at, int threads, const std::function<void(int)>& on_ready) {
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(1000);
  // cpp-httplib parks a worker thread on each idle keep-alive connection: keep the
  // idle time short so clients with many connections cannot starve the pool.
  server.set_keep_alive_timeout(1);
  int port = at.port;
  if (port == 0)
    port = server.bind_to_any_port(at.host);
  else if (!server.bind_to_port(at.host, port))
    port = -1;
  if (port < 0) return false;
  on_ready(port);
  return server.listen_after_bind();
}

std::string counters_json(const std::map<std::string, std::uint64_t>& counters) { return json_dump(counters); }

void stop_on_signals(std::function<void()> stop, std::function<void()> on_hangup) {
  // Stopping joins threads and takes locks: never from a signal handler. The signals
  // are blocked here (threads started later inherit that) and a watcher thread waits
  // for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  if (on_hangup) sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, stop = std::move(stop), on_hangup = std::move(on_hangup)] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (sig != SIGHUP) break;
      on_hangup();
    }
    stop();
  }).detach();
}

void announce(const std::string& host, int port) {
  std::printf("listening on %s:%d\n", host.c_str(), port);
  std::fflush(stdout);
}

std::string secret_setting(const std::string& file, const char* env) {
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error(file + ": cannot read");
    std::string line;
    std::getline(in, line);
    return line;
  }
  const char* v = std::getenv(env);
  return v ? v : "";
}

}  // namespace runner::sim
