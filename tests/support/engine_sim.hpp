#pragma once
// The engine simulator as a child process of a test.
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace test {

class EngineSimProcess {
 public:
  // Extra flags after the defaults (--listen 127.0.0.1:0 --api-key sim-key).
  explicit EngineSimProcess(const std::vector<std::string>& flags);
  const std::string& url() const { return url_; }
  static constexpr const char* api_key = "sim-test-key";
  // The simulator's counter `name` (0 when absent).
  long counter(const std::string& name) const;

 private:
  static std::vector<std::string> argv(const std::vector<std::string>& flags);
  Child child_;
  std::string url_;
};

}  // namespace test
