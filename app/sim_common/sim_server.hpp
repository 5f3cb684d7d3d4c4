#pragma once
// What both simulators share: the --listen flag, serving a cpp-httplib server on a
// bounded pool, the counters document, and stopping on SIGINT/SIGTERM.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace httplib {
class Server;
}

namespace runner::sim {

struct ListenAddress {
  std::string host;
  int port = 0;
};

// "HOST:PORT" -> address; nullopt when malformed.
std::optional<ListenAddress> parse_listen(const std::string& text);

// Binds (port 0: any free port), calls on_ready(port), serves until stopped.
bool serve(httplib::Server& server, const ListenAddress& at, int threads, const std::function<void(int)>& on_ready);

// {"name": N, ...}
std::string counters_json(const std::map<std::string, std::uint64_t>& counters);

// Calls `stop` (from a watcher thread) on the first SIGINT or SIGTERM, and
// `on_hangup` (when given) on every SIGHUP, the signal a service manager's reload or
// restart sends. Call it before any other thread starts.
void stop_on_signals(std::function<void()> stop, std::function<void()> on_hangup = {});

// Prints the ready line tests wait for: "listening on HOST:PORT".
void announce(const std::string& host, int port);

// A simulator's secret: the first line of `file` when given, else the environment
// variable `env`, else "". Never an option value: argv is visible to every user.
std::string secret_setting(const std::string& file, const char* env);

}  // namespace runner::sim
