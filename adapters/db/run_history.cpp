#include "adapters/db/run_history.hpp"

#include <pqxx/pqxx>

#include "adapters/db/database.hpp"
#include <nlohmann/json.hpp>

#include "adapters/json/json_text.hpp"

namespace runner {

std::map<std::string, std::uint64_t> median_durations(const std::string& database_url,
                                                      const std::vector<std::string>& keys) {
  std::map<std::string, std::uint64_t> out;
  if (keys.empty()) return out;
  auto conn = connect_database(database_url);
  pqxx::read_transaction t(*conn);
  // One query for every key (the keys travel as a JSON array: any characters).
  auto rows = t.exec_params(
      "SELECT scenario_key, percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FROM ("
      "SELECT scenario_key, duration_ms, row_number() OVER (PARTITION BY scenario_key ORDER BY finished_at DESC) AS n "
      "FROM scenario_reports WHERE status IN ('passed', 'failed') AND scenario_key IN "
      "(SELECT jsonb_array_elements_text($1::jsonb))) recent WHERE n <= 20 GROUP BY scenario_key",
      json_dump(keys));
  for (const auto& row : rows) out[row[0].c_str()] = static_cast<std::uint64_t>(row[1].as<double>());
  return out;
}

}  // namespace runner
