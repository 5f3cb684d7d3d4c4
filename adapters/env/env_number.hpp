#pragma once
// Whole numbers from the environment (tuning knobs such as RUNNER_POLL_INITIAL_MS):
// the whole text must be a number inside the knob's documented range, else a
// SettingError naming the variable, the text and the range. Never a bare `stoul`
// message, never a negative number wrapped round into a huge one.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace runner {

struct SettingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `text` as a number in [min, max]; `source` names where it came from in the error.
std::uint64_t parse_bounded(std::string_view source, std::string_view text, std::uint64_t min, std::uint64_t max);

// The variable `name` from the process environment, or `fallback` when unset or empty.
std::uint64_t env_number(const char* name, std::uint64_t fallback, std::uint64_t min, std::uint64_t max);

}  // namespace runner
