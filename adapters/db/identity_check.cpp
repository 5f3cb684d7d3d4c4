#include "adapters/db/identity_check.hpp"

#include <pqxx/pqxx>

#include "adapters/db/database.hpp"
#include "adapters/db/platform_id.hpp"
#include "adapters/text/utf8.hpp"

namespace runner {

std::vector<std::string> check_identities(const std::string& url, const std::string& org_id_arg,
                                          const std::string& tenant_id_arg, const std::string& user_id_arg) {
  // IDs migrated from uuid columns are lower-case text; a UUID given in upper case is the same ID.
  const std::string org_id = canonical_platform_id(org_id_arg), tenant_id = canonical_platform_id(tenant_id_arg),
                    user_id = canonical_platform_id(user_id_arg);
  std::vector<std::string> problems;
  for (auto [name, value] : {std::pair{"ORG_ID", &org_id}, std::pair{"TENANT_ID", &tenant_id},
                             std::pair{"USER_ID", &user_id}})
    if (auto why = platform_id_problem(*value)) problems.push_back(std::string(name) + " '" + printable(*value) + "' " + *why);
  if (!problems.empty()) return problems;

  auto conn = connect_database(url);
  try {
    // The platform's tenancy (reference 2.1): a tenant contains organizations, a user
    // belongs to an organization.
    pqxx::read_transaction t(*conn);
    auto tenant = t.exec_params("SELECT 1 FROM tenants WHERE id = $1", tenant_id);
    if (tenant.empty()) problems.push_back("TENANT_ID " + tenant_id + " not found in tenants");
    auto org = t.exec_params("SELECT tenant_id FROM organizations WHERE id = $1", org_id);
    if (org.empty())
      problems.push_back("ORG_ID " + org_id + " not found in organizations");
    else if (!tenant.empty() && org[0][0].c_str() != tenant_id)
      problems.push_back("ORG_ID " + org_id + " belongs to tenant " + org[0][0].c_str() + ", not TENANT_ID " + tenant_id);
    auto user = t.exec_params("SELECT organization_id FROM users WHERE id = $1", user_id);
    if (user.empty())
      problems.push_back("USER_ID " + user_id + " not found in users");
    else if (!org.empty() && user[0][0].c_str() != org_id)
      problems.push_back("USER_ID " + user_id + " belongs to organization " + user[0][0].c_str() + ", not ORG_ID " +
                         org_id);
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return problems;
}

}  // namespace runner
