// libFuzzer target: every decoder of ServiceNow's Table API replies, on any body.
#include <cstdint>
#include <string>

#include "adapters/servicenow/servicenow_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace runner::servicenow;
  const std::string body(reinterpret_cast<const char*>(data), size);
  (void)parse_incident_ref(body);
  (void)parse_first_incident_ref(body);
  if (auto st = parse_incident_state(body)) {
    (void)state_label(st->state);
    (void)is_closed_state(st->state);
  }
  (void)parse_journal_values(body);
  (void)parse_probed_user(body);
  (void)ticket_record(body, {body, body});
  return 0;
}
