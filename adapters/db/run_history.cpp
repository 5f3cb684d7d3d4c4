#include "adapters/db/run_history.hpp"

#include <pqxx/pqxx>

#include "adapters/db/database.hpp"

namespace runner {

std::map<std::string, std::uint64_t> median_durations(const std::string& database_url,
                                                      const std::vector<std::string>& keys) {
  std::map<std::string, std::uint64_t> out;
  if (keys.empty()) return out;
  auto conn = connect_database(database_url);
  pqxx::read_transaction t(*conn);
  for (const auto& key : keys) {
    auto r = t.exec_params(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FROM (SELECT duration_ms FROM "
        "scenario_reports WHERE scenario_key = $1 AND status IN ('passed', 'failed') ORDER BY finished_at DESC "
        "LIMIT 20) recent",
        key);
    if (!r.empty() && !r[0][0].is_null()) out[key] = static_cast<std::uint64_t>(r[0][0].as<double>());
  }
  return out;
}

}  // namespace runner
