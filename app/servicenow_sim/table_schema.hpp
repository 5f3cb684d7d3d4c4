#pragma once
// The tables the ServiceNow simulator serves (incident, sys_journal_field, sys_user),
// the kinds of their fields, and how a record is written and read the way the Table
// API does it: stored values, display values (choice labels, the display field of a
// referenced record), reference links, write-only passwords, input display values.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "app/servicenow_sim/table_query.hpp"

namespace runner::sim {

struct FieldSpec {
  enum class Kind { text, choice, reference, journal, password, boolean };
  Kind kind = Kind::text;
  std::vector<std::pair<std::string, std::string>> choices;  // value, label
  std::string reference_table;                               // Kind::reference
};

struct TableSchema {
  std::string name;
  std::string display_field;  // what a reference to one of its records shows
  std::string number_prefix;  // records get numbers PREFIX0010001...; "" = none
  std::vector<std::pair<std::string, FieldSpec>> fields;  // fields with a kind other than text
  Record defaults;            // values of a new record that a create does not set

  // The field's kind; a field not listed is text (a record keeps any field written).
  FieldSpec spec(const std::string& field) const;
};

// nullptr for a table the simulator does not serve.
const TableSchema* find_table(const std::string& name);

// sysparm_display_value: false (stored values), true (display values), all (both).
enum class DisplayMode { value, display, all };
// "" and "false" -> value; nullopt for anything else than true/false/all.
std::optional<DisplayMode> parse_display_mode(const std::string& text);

// How the Table API shows one record: `fields` empty = every field; `base_url` is
// the instance's address for reference links; `display_of(table, sys_id)` is the
// display value of a referenced record ("" when there is none).
struct RecordView {
  DisplayMode mode = DisplayMode::value;
  bool exclude_reference_link = false;
  std::vector<std::string> fields;
  std::string base_url;
  std::function<std::string(const std::string& table, const std::string& sys_id)> display_of;
};
nlohmann::json record_json(const TableSchema& table, const Record& record, const RecordView& view);

// A written value as stored. With sysparm_input_display_value=true a choice label
// becomes its value and a reference's display value the referenced sys_id
// (`find_by_display(table, text)`, "" when none matches); a text that matches
// nothing is stored as written, as an instance does.
std::string stored_value(const FieldSpec& spec, const std::string& written, bool input_display_value,
                         const std::function<std::string(const std::string& table, const std::string& display)>& find_by_display);

}  // namespace runner::sim
