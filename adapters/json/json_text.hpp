#pragma once
// Minimal JSON text helpers for output we write ourselves (simdjson only reads).
#include <string>
#include <string_view>
#include <vector>

namespace runner {

// `s` as a quoted JSON string, with control characters escaped.
std::string json_quote(std::string_view s);
// A finite double as JSON (shortest round-trip form); NaN and infinities become null.
std::string json_number(double v);
// ["a","b"]
std::string json_string_array(const std::vector<std::string>& items);

}  // namespace runner
