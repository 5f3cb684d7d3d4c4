#pragma once
// A simulator of ServiceNow's Table API for the tables 2501-runner and the engine
// simulator touch (incident, sys_journal_field, sys_user), served as an instance
// serves it: /api/now/table/ and /api/now/v2/table/, GET/POST/PUT/PATCH/DELETE, the
// encoded query, display values, paging headers, ServiceNow's error shape; basic auth
// against sys_user; fault injection and counters. docs/servicenow.md says what is
// simulated and what is not.
#include <cstddef>
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
  // The most records one page holds, whatever sysparm_limit asks (an instance whose
  // administrator capped it): clients must follow the pages.
  std::size_t max_page = 10000;
  // "" (as an instance): each request's sysparm_display_value. true or all: every
  // answer in that form whatever the request asks, as some integration layers in
  // front of an instance do; clients that read fields must cope.
  std::string forced_display_value;
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
