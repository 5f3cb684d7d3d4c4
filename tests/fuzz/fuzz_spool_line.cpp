// libFuzzer target: a spool line → decode_op. What decodes encodes to a line that
// decodes again to the same encoding (replay after replay stores the same row).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "adapters/db/report_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  auto op = runner::decode_op(line);
  if (!op) return 0;
  const std::string once = runner::encode_op(*op);
  auto again = runner::decode_op(once);
  if (!again) std::abort();
  if (runner::encode_op(*again) != once) std::abort();
  return 0;
}
