#include "adapters/text/utf8.hpp"

#include <cctype>
#include <cstdio>

namespace runner {
namespace {

// The byte index where the sequence holding byte `i` begins: continuation bytes
// (10xxxxxx) belong to the character before them.
std::size_t sequence_start(std::string_view s, std::size_t i) {
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

// Length of the well-formed sequence at s[i] (Unicode table 3-7), or 0 when the
// bytes there are not one.
std::size_t sequence_length(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) -> unsigned { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0x100; };
  auto in = [](unsigned b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
  const unsigned b0 = at(0);
  if (b0 < 0x80) return 1;
  if (in(b0, 0xC2, 0xDF)) return in(at(1), 0x80, 0xBF) ? 2 : 0;
  if (b0 == 0xE0) return in(at(1), 0xA0, 0xBF) && in(at(2), 0x80, 0xBF) ? 3 : 0;
  if (in(b0, 0xE1, 0xEC) || in(b0, 0xEE, 0xEF)) return in(at(1), 0x80, 0xBF) && in(at(2), 0x80, 0xBF) ? 3 : 0;
  if (b0 == 0xED) return in(at(1), 0x80, 0x9F) && in(at(2), 0x80, 0xBF) ? 3 : 0;  // no surrogates
  if (b0 == 0xF0) return in(at(1), 0x90, 0xBF) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
  if (in(b0, 0xF1, 0xF3))
    return in(at(1), 0x80, 0xBF) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
  if (b0 == 0xF4) return in(at(1), 0x80, 0x8F) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
  return 0;
}

// How many bytes an invalid sequence at s[i] spans: the longest start of a
// well-formed sequence found there (a "maximal subpart"), at least one byte; each
// becomes one U+FFFD, as the Unicode standard recommends.
std::size_t invalid_length(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) -> unsigned { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0x100; };
  const unsigned b0 = at(0);
  unsigned lo = 0x80, hi = 0xBF;
  std::size_t want;
  if (b0 >= 0xC2 && b0 <= 0xDF) want = 2;
  else if (b0 >= 0xE0 && b0 <= 0xEF) want = 3, lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
  else if (b0 >= 0xF0 && b0 <= 0xF4) want = 4, lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
  else return 1;
  if (at(1) < lo || at(1) > hi) return 1;
  std::size_t n = 2;
  while (n < want && at(n) >= 0x80 && at(n) <= 0xBF) ++n;
  return n;
}

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

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

bool utf8_valid(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string utf8_clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\0') {
      ++i;
      continue;
    }
    if (const std::size_t n = sequence_length(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out.append(replacement);
      i += invalid_length(s, i);
    }
  }
  return out;
}

namespace {

// Length of an SGR (colour) sequence at s[i] (ESC [ digits ; m), or 0.
std::size_t sgr_length(const std::string& s, std::size_t i) {
  std::size_t j = i + 1;
  if (j >= s.size() || s[j] != '[') return 0;
  ++j;
  while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == ';')) ++j;
  return j < s.size() && s[j] == 'm' ? j - i + 1 : 0;
}

// utf8_clean, then every control character as a visible escape; for a terminal
// (`terminal`), colour sequences and newlines stay as they are.
std::string escape_controls(std::string_view s, bool terminal) {
  const std::string clean = utf8_clean(s);
  std::string out;
  out.reserve(clean.size());
  char buf[8];
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(clean[i]);
    if (terminal && c == 0x1B) {
      if (const std::size_t n = sgr_length(clean, i); n > 0) {
        out.append(clean, i, n);  // colour only
        i += n - 1;
        continue;
      }
    }
    if (c == '\n' && terminal) {
      out += '\n';
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r' && !terminal) {
      out += "\\r";
    } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else if (c == 0xC2 && i + 1 < clean.size() && static_cast<unsigned char>(clean[i + 1]) <= 0x9F) {
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(clean[i + 1]));  // C1: U+0080..U+009F
      out += buf;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::string printable(std::string_view s) { return escape_controls(s, false); }

std::string terminal_text(std::string_view s) { return escape_controls(s, true); }

std::string file_safe(std::string_view key) {
  std::string out(key);
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  return out;
}

}  // namespace runner
