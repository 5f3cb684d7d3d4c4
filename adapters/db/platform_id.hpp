#pragma once
// The 2501 platform's record IDs (organizations, tenants, users, hosts, agents) are
// its own strings ("hst_web01", "agt_xyz789"), not UUIDs. One rule for all of them,
// checked before the database is asked (docs/database.md "IDs").
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace runner {

inline constexpr std::size_t max_platform_id_chars = 128;

// Why `id` cannot be a platform ID ("is empty", "is longer than 128 characters",
// "contains whitespace, a control or an invisible character", "is not valid UTF-8"); nullopt when
// it can. The caller names the field.
std::optional<std::string> platform_id_problem(std::string_view id);

// `id` as the database holds it: a UUID in PostgreSQL's lower-case text form (IDs
// written before migration 0006 were uuid values); any other ID unchanged.
std::string canonical_platform_id(std::string id);

bool is_uuid(std::string_view s);

}  // namespace runner
