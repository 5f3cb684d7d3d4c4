#pragma once
// `--fail-on-error [THRESHOLD]`: when does a run that finished exit 1 because of what
// did not pass? Without a threshold, any iteration not passed; with `N`, more than N;
// with `P%`, more than P percent of the iterations that ran. Errors and interrupts
// have exit codes of their own (4, 130) whatever the gate says.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace runner {

struct FailGate {
  bool on = false;                              // --fail-on-error given
  std::optional<std::uint64_t> max_not_passed;  // "3": exit 1 when more than 3 did not pass
  std::optional<double> max_share;              // "10%": when more than 10 % did not pass (0..1)

  bool fails(std::size_t not_passed, std::size_t total) const;
  // "any", "3" or "10%", for the benchmark's recorded options.
  std::string text() const;
};

// "" -> any; "3" -> more than 3; "10%" or "2.5%" -> a share. nullopt: neither.
std::optional<FailGate> parse_fail_gate(const std::string& raw);

}  // namespace runner
