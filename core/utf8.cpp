#include "core/utf8.hpp"

namespace runner {
namespace {

// The byte index where the sequence holding byte `i` begins: continuation bytes
// (10xxxxxx) belong to the character before them.
std::size_t sequence_start(std::string_view s, std::size_t i) {
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

}  // namespace

std::string utf8_truncate(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  const std::string_view ellipsis = "...";
  const std::size_t room = max_bytes > ellipsis.size() ? max_bytes - ellipsis.size() : 0;
  // s[room] is the first byte dropped; if it continues a character, drop that
  // character's first bytes too.
  const std::size_t cut = sequence_start(s, room);
  return std::string(s.substr(0, cut)) + std::string(ellipsis);
}

}  // namespace runner
