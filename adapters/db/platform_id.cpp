#include "adapters/db/platform_id.hpp"

#include <cctype>

#include "adapters/text/utf8.hpp"

namespace runner {

std::optional<std::string> platform_id_problem(std::string_view id) {
  if (id.empty()) return "is empty";
  if (!utf8_valid(id)) return "is not valid UTF-8";
  std::size_t chars = 0;
  for (unsigned char c : id) {
    if ((c & 0xC0) != 0x80) ++chars;  // count characters, not bytes
    // ASCII whitespace and controls (C1 controls are two-byte sequences starting 0xC2 0x80-0x9F).
    if (c <= 0x20 || c == 0x7F) return "contains whitespace or a control character";
  }
  for (std::size_t i = 0; i + 1 < id.size(); ++i)
    if (static_cast<unsigned char>(id[i]) == 0xC2 && static_cast<unsigned char>(id[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(id[i + 1]) <= 0xA0)  // C1 controls and U+00A0 (no-break space)
      return "contains whitespace or a control character";
  if (chars > max_platform_id_chars) return "is longer than " + std::to_string(max_platform_id_chars) + " characters";
  return std::nullopt;
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

std::string canonical_platform_id(std::string id) {
  if (is_uuid(id))
    for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return id;
}

}  // namespace runner
