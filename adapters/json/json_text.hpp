#pragma once
// What nlohmann-json lacks for our output: a dump that never throws on the text it
// is given. Every JSON document the runner writes is a nlohmann::json value; this is
// how it becomes text. Only the forward declarations here, so the header stays light.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace runner {

// Compact JSON text. Strings that are not valid UTF-8 (agent output, playbook logs,
// anything from outside) get U+FFFD for each invalid sequence instead of an
// exception, so one bad byte never costs a whole report.
std::string json_dump(const nlohmann::json& value);
// The same for a document whose keys keep their insertion order (reports and spool
// lines that embed JSON columns as they were written).
std::string json_dump_ordered(const nlohmann::ordered_json& value);

// JSON text made safe for a PostgreSQL jsonb column, which refuses `\u0000` and
// invalid UTF-8: every string and key cleaned (utf8_clean), key order kept. Text
// that is not JSON at all is stored as a JSON string of itself, never dropped.
std::string json_for_database(const std::string& text);

}  // namespace runner
