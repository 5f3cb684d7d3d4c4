#pragma once
// Cutting text for people and for PostgreSQL: never in the middle of a character.
#include <cstddef>
#include <string>
#include <string_view>

namespace runner {

// At most `max_bytes` bytes of `s`, cut back to the last whole UTF-8 sequence; "..."
// is appended when anything was dropped (and counts against the limit).
std::string utf8_truncate(std::string_view s, std::size_t max_bytes);

}  // namespace runner
