#pragma once
// Text for people, for files and for PostgreSQL: never cut in the middle of a
// character, always valid UTF-8, never a NUL (PostgreSQL text and jsonb refuse it)
// and never a raw control sequence on a terminal.
#include <cstddef>
#include <string>
#include <string_view>

namespace runner {

// At most `max_bytes` bytes of `s`, cut back to the last whole UTF-8 sequence; "..."
// is appended when anything was dropped (and counts against the limit).
std::string utf8_truncate(std::string_view s, std::size_t max_bytes);

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points
// above U+10FFFF).
bool utf8_valid(std::string_view s);

// `s` as valid UTF-8 without NUL: every invalid sequence becomes U+FFFD, NULs go.
std::string utf8_clean(std::string_view s);

// `s` safe to print: utf8_clean, then C0 and C1 control characters and DEL (ESC
// among them: a scenario title must not move a terminal's cursor) are written as
// visible escapes (`\x1b`); tab stays, CR/LF become `\r`/`\n`.
std::string printable(std::string_view s);

// What every console and --log-file line goes through: `s` as valid UTF-8 in which
// only colour (SGR: ESC [ digits ; m), newline and tab stay as they are; every other
// control character, ESC that starts any other sequence (cursor moves, OSC window
// titles, ...) included, is written as a visible escape. Text from an engine, a
// playbook or an agent can colour a line at most, never rewrite the terminal.
std::string terminal_text(std::string_view s);

// A file name for `key`: letters, digits, '-', '_' and '.' kept, anything else '_'.
std::string file_safe(std::string_view key);

}  // namespace runner
