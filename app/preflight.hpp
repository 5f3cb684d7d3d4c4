#pragma once
// Pre-flight: the checks that must hold before any scenario runs. Each check prints
// one line; every failure is listed before the command gives up (exit 3).
#include <functional>
#include <string>
#include <vector>

namespace runner {

struct CheckResult {
  bool ok = false;
  std::string detail;  // shown after the check's name
};

class Preflight {
 public:
  // Runs `check` now and prints "[ ok ] name: detail" or "[FAIL] name: detail".
  // A check that throws counts as failed with the exception's text.
  bool run(const std::string& name, const std::function<CheckResult()>& check);
  bool all_ok() const { return failures_.empty(); }
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  std::vector<std::string> failures_;
};

// Finds `ansible-playbook` on PATH and reads its version line.
CheckResult check_ansible();

}  // namespace runner
