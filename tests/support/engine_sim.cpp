#include "tests/support/engine_sim.hpp"

#include <cstdlib>
#include <regex>

namespace test {

std::vector<std::string> EngineSimProcess::argv(const std::vector<std::string>& flags) {
  ::setenv("ENGINE_SIM_API_KEY", api_key, 1);  // secrets reach the simulator by the environment
  std::vector<std::string> a = {std::string(RUNNER_BIN_DIR) + "/2501-engine-sim", "--listen", "127.0.0.1:0"};
  a.insert(a.end(), flags.begin(), flags.end());
  return a;
}

EngineSimProcess::EngineSimProcess(const std::vector<std::string>& flags) : child_(argv(flags)) {
  const std::string prefix = "listening on ";
  const auto& line = child_.first_line();
  if (line.rfind(prefix, 0) != 0) throw std::runtime_error("engine simulator did not start: " + line);
  url_ = "http://" + line.substr(prefix.size());
}

long EngineSimProcess::counter(const std::string& name) const {
  const std::string body = sh_out("curl -s " + url_ + "/_sim/counters");
  // Test-only parsing of a flat {"name":N,...} object.
  std::smatch m;
  if (std::regex_search(body, m, std::regex("\"" + name + "\":([0-9]+)"))) return std::stol(m[1]);
  return 0;
}

}  // namespace test
