#include "adapters/env/env_number.hpp"

#include <charconv>
#include <cstdlib>

#include "adapters/text/utf8.hpp"

namespace runner {

std::uint64_t parse_bounded(std::string_view source, std::string_view text, std::uint64_t min, std::uint64_t max) {
  std::uint64_t v = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  const std::string range = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (text.empty() || ec == std::errc::invalid_argument || ptr != end)
    throw SettingError(std::string(source) + ": '" + printable(text) + "' is not " + range);
  if (ec == std::errc::result_out_of_range || v < min || v > max)
    throw SettingError(std::string(source) + ": " + printable(text) + " is out of range; expected " + range);
  return v;
}

std::uint64_t env_number(const char* name, std::uint64_t fallback, std::uint64_t min, std::uint64_t max) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return parse_bounded(name, v, min, max);
}

}  // namespace runner
