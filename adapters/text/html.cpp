#include "adapters/text/html.hpp"

#include <cstdio>

#include "adapters/text/utf8.hpp"

namespace runner {

std::string html_escape(std::string_view raw) {
  const std::string s = utf8_clean(raw);
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '&': out += "&amp;"; continue;
      case '<': out += "&lt;"; continue;
      case '>': out += "&gt;"; continue;
      case '"': out += "&quot;"; continue;
      case '\'': out += "&#39;"; continue;
      case '\n':
      case '\t': out += static_cast<char>(c); continue;
      default: break;
    }
    // C1 controls are U+0080..U+009F: in UTF-8, C2 80..C2 9F.
    const bool c1 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(s[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c1 ? static_cast<unsigned char>(s[++i]) : c);
      out += buf;
      continue;
    }
    out += static_cast<char>(c);
  }
  return out;
}

}  // namespace runner
