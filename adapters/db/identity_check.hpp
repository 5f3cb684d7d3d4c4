#pragma once
// Pre-flight: ORG_ID, TENANT_ID and USER_ID are platform IDs, exist and belong together
// (the organization to the tenant, the user to the organization; reference 2.1).
#include <string>
#include <vector>

namespace runner {

// Every problem found, one message each naming the variable; empty when all hold.
// Throws DbError when the database cannot be asked.
std::vector<std::string> check_identities(const std::string& url, const std::string& org_id,
                                          const std::string& tenant_id, const std::string& user_id);

}  // namespace runner
