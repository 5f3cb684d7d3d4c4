#pragma once
// Text from agents, engines and scenario authors placed in an HTML page: valid UTF-8,
// every character that could open markup or leave an attribute escaped, and control
// characters shown, never acted on.
#include <string>
#include <string_view>

namespace runner {

// `s` for an HTML text node or a quoted attribute value: utf8_clean, then & < > " '
// as entities; newline and tab stay, other C0/C1 controls and DEL become `\xNN`.
std::string html_escape(std::string_view s);

}  // namespace runner
