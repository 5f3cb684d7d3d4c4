#include "app/durability.hpp"

#include <fmt/format.h>

namespace runner {

std::vector<std::pair<bool, std::string>> durability_lines(const ReportLedger& l, const std::string& spool_dir) {
  std::vector<std::pair<bool, std::string>> out;
  const std::string& dir = l.spool_dir.empty() ? spool_dir : l.spool_dir;
  out.emplace_back(false, fmt::format("reports: {} stored in the database", l.stored));
  if (l.spooled)
    out.emplace_back(false, fmt::format("reports: {} waiting in the spool {} (the next `run` or `db migrate` that "
                                        "reaches the database stores them)",
                                        l.spooled, dir));
  if (l.spool_lines > l.spooled)
    out.emplace_back(false, fmt::format("spool: {} write(s) of this and earlier runs wait in {}", l.spool_lines, dir));
  if (l.rejected)
    out.emplace_back(true, fmt::format("reports: {} refused by the database; kept in {}/*.rejected for a human", l.rejected,
                                       dir));
  if (l.lost)
    out.emplace_back(true, fmt::format("reports: {} LOST: neither the database nor the spool {} could take them "
                                       "(their verdicts are only in the summary above and in --log-file)",
                                       l.lost, dir));
  return out;
}

bool all_kept(const ReportLedger& l) { return l.lost == 0 && l.rejected == 0; }

}  // namespace runner
