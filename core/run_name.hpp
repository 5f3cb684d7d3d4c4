#pragma once
// A benchmark's name: what people type to find a run again (`report nightly`,
// `compare nightly latest`). `run --name NAME` sets it; otherwise a readable one is
// made from the benchmark ID, such as "brisk-otter-3f2a".
#include <optional>
#include <string>
#include <string_view>

namespace runner {

// Why `name` cannot name a benchmark (naming no option: the caller does); nullopt when
// it can. A name has the characters a platform ID may have (no whitespace, control or
// invisible character, at most 128), is not `latest`, and is not made of hex digits and
// dashes only, which would read as a benchmark ID or ID prefix.
std::optional<std::string> run_name_problem(std::string_view name);

// "adjective-noun-xxxx": the words picked by the ID's hex digits, xxxx its first four,
// so the same ID always gets the same name and two runs rarely share one.
std::string generated_run_name(std::string_view benchmark_id);

}  // namespace runner
