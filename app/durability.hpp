#pragma once
// The last lines of a run: where its reports are (stored, spooled, rejected, lost),
// so the console never says "completed" over a loss.
#include <string>
#include <utility>
#include <vector>

#include "messages/report.hpp"

namespace runner {

// (is_error, text) lines: always the stored count; the spool, rejections and losses
// when there are any, each saying what happens next.
std::vector<std::pair<bool, std::string>> durability_lines(const ReportLedger& ledger, const std::string& spool_dir);

// True when every report is in the database or the spool; false makes `run` exit 4.
bool all_kept(const ReportLedger& ledger);

}  // namespace runner
