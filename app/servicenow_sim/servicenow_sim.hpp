#pragma once
// A simulator of the ServiceNow Table API subset that 2501-runner and the engine
// simulator use: incident create/read/list/update and sys_journal_field (work notes
// and comments), basic auth, ServiceNow's JSON shapes, fault injection, counters.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace runner::sim {

struct ServiceNowSimConfig {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8090;
  std::string username, password;
  double fault_401 = 0, fault_429 = 0, fault_5xx = 0;
  std::uint64_t seed = 1;
  int http_threads = 16;
};

class ServiceNowSim {
 public:
  explicit ServiceNowSim(ServiceNowSimConfig config);
  ~ServiceNowSim();
  bool run(const std::function<void(int)>& on_ready);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runner::sim
