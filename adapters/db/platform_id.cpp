#include "adapters/db/platform_id.hpp"

#include <cctype>

#include "adapters/text/utf8.hpp"

namespace runner {

namespace {

// Whitespace, controls and invisible format characters: never part of an ID someone
// meant to type (a copied ID with a no-break space or a byte-order mark is a mistake).
bool invisible(char32_t c) {
  return c <= 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0x1680 || c == 0x180E || (c >= 0x2000 && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF;
}

}  // namespace

std::optional<std::string> platform_id_problem(std::string_view id) {
  if (id.empty()) return "is empty";
  if (!utf8_valid(id)) return "is not valid UTF-8";
  std::size_t chars = 0;
  for (std::size_t i = 0; i < id.size(); ++chars) {
    // Decode one (valid) UTF-8 sequence.
    const auto b = static_cast<unsigned char>(id[i]);
    const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(id[i + k]) & 0x3F);
    if (invisible(c)) return "contains whitespace, a control or an invisible character";
    i += n;
  }
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
