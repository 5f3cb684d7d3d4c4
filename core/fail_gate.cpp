#include "core/fail_gate.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace runner {

bool FailGate::fails(std::size_t not_passed, std::size_t total) const {
  if (!on) return false;
  if (max_not_passed) return not_passed > *max_not_passed;
  if (max_share) return total > 0 && static_cast<double>(not_passed) > *max_share * static_cast<double>(total) + 1e-9;
  return not_passed > 0;
}

std::string FailGate::text() const {
  if (max_not_passed) return std::to_string(*max_not_passed);
  if (max_share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g%%", *max_share * 100);
    return buf;
  }
  return "any";
}

std::optional<FailGate> parse_fail_gate(const std::string& raw) {
  FailGate gate;
  gate.on = true;
  if (raw.empty()) return gate;
  if (raw.back() == '%') {
    double p = -1;
    const char* end = raw.data() + raw.size() - 1;
    auto [stop, ec] = std::from_chars(raw.data(), end, p, std::chars_format::fixed);
    if (ec != std::errc() || stop != end || raw.size() == 1 || !std::isfinite(p) || p < 0 || p > 100) return std::nullopt;
    gate.max_share = p / 100;
    return gate;
  }
  std::uint64_t n = 0;
  auto [stop, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), n);
  if (ec != std::errc() || stop != raw.data() + raw.size()) return std::nullopt;
  gate.max_not_passed = n;
  return gate;
}

}  // namespace runner
