#include "adapters/text/columns.hpp"

#include <algorithm>

namespace runner {

std::string fit_columns(std::string_view line, std::size_t width) {
  std::size_t columns = 0, i = 0;
  while (i < line.size()) {
    const auto c = static_cast<unsigned char>(line[i]);
    const std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    const std::size_t w = c < 0x80 ? 1 : 2;
    if (columns + w > width) break;
    columns += w;
    i += std::min(len, line.size() - i);
  }
  return std::string(line.substr(0, i));
}

}  // namespace runner
