#pragma once
// ServiceNow's encoded query (sysparm_query), as the ServiceNow simulator reads it.
// Terms are joined by `^` (AND); a term that starts with `OR` is OR'ed with the term
// before it (`a^b^ORc` is a AND (b OR c), as on an instance); `^NQ` starts a new
// query OR'ed with the others; `ORDERBYf` / `ORDERBYDESCf` sort; `^^` is a literal
// `^` in a value. A condition is FIELD OPERATOR VALUE, the field being ServiceNow's
// lower-case name (letters, digits, `_`, `.`) and the operator one of =, !=, LIKE,
// NOT LIKE, STARTSWITH, ENDSWITH, IN, NOT IN, ISEMPTY, ISNOTEMPTY, <, <=, >, >=.
// Comparisons ignore ASCII case, as an instance's database collation does.
// A condition the instance cannot read (no operator the simulator knows, or a field
// the table does not have) is left out and the rest of the query applies, as an
// instance does unless glide.invalid_query.returns_no_rows is set.
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace runner::sim {

// A Table API record: field -> stored value (what sysparm_display_value=false returns).
using Record = std::map<std::string, std::string>;

struct QueryCondition {
  std::string field, op, value;
};

struct QueryOrder {
  std::string field;
  bool descending = false;
};

struct EncodedQuery {
  // queries (^NQ), each an AND of terms, each term an OR of conditions (^OR).
  std::vector<std::vector<std::vector<QueryCondition>>> queries;
  std::vector<QueryOrder> order;
  std::vector<std::string> ignored;  // the conditions left out, as written
};

// `is_field(name)`: does the table have this field? (none given: every name does)
EncodedQuery parse_encoded_query(const std::string& text,
                                 const std::function<bool(const std::string&)>& is_field = {});
bool matches(const EncodedQuery& query, const Record& record);
// Stable: records equal on every key keep their order. Numbers compare as numbers and
// sort before text.
void sort_records(std::vector<const Record*>& records, const std::vector<QueryOrder>& order);

}  // namespace runner::sim
