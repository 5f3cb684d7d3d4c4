#pragma once
// What earlier runs say about a scenario's duration: the broker's packing hint.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace runner {

// Median duration_ms of the last 20 finished reports per key (passed or failed);
// keys without history are absent. Throws DbError when the database is away.
std::map<std::string, std::uint64_t> median_durations(const std::string& database_url,
                                                      const std::vector<std::string>& keys);

}  // namespace runner
