#pragma once
// How much of a line fits a terminal row: a line that wraps breaks a status block's
// redraw (it moves up by the lines it drew, not the rows they took).
#include <cstddef>
#include <string>
#include <string_view>

namespace runner {

// The longest prefix of `line` (UTF-8) that takes at most `width` columns, never cut
// inside a character. ASCII is one column; any other character counts as two (wide CJK
// and emoji are; a narrow one only leaves a column free), so the result never wraps.
std::string fit_columns(std::string_view line, std::size_t width);

}  // namespace runner
