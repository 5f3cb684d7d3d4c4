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

// The database answers and its schema has every migration of this build.
CheckResult check_database(const std::string& url);

// ORG_ID, TENANT_ID and USER_ID exist and belong together.
CheckResult check_identity_ids(const std::string& url, const std::string& org, const std::string& tenant,
                               const std::string& user);

// Finds `ansible-playbook` on PATH and reads its version line.
CheckResult check_ansible();

}  // namespace runner
