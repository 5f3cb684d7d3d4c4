// libFuzzer target: every decoder of the engine's replies, on any body. A job that
// decodes survives a round trip through the simulator's encoder.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "adapters/engine/engine_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace runner::engine_api;
  const std::string body(reinterpret_cast<const char*>(data), size);
  (void)parse_created_ticket_id(body);
  (void)parse_ticket_job_id(body);
  (void)parse_first_job_id(body);
  (void)parse_ticket_spec(body);
  if (auto job = parse_job(body)) {
    (void)job->known_status();
    (void)job->terminal();
    auto again = parse_job(job_json(*job));
    if (!again || again->id != job->id || again->status != job->status || again->tasks.size() != job->tasks.size())
      std::abort();
  }
  return 0;
}
