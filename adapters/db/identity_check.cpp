#include "adapters/db/identity_check.hpp"

#include <pqxx/pqxx>

#include "adapters/db/database.hpp"

namespace runner {

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::vector<std::string> check_identities(const std::string& url, const std::string& org_id_arg,
                                          const std::string& tenant_id_arg, const std::string& user_id_arg) {
  // PostgreSQL prints UUIDs in lower case; compare in that form.
  const std::string org_id = lower(org_id_arg), tenant_id = lower(tenant_id_arg), user_id = lower(user_id_arg);
  std::vector<std::string> problems;
  for (auto [name, value] : {std::pair{"ORG_ID", &org_id}, std::pair{"TENANT_ID", &tenant_id},
                             std::pair{"USER_ID", &user_id}})
    if (!is_uuid(*value)) problems.push_back(std::string(name) + " '" + *value + "' is not a UUID");
  if (!problems.empty()) return problems;

  auto conn = connect_database(url);
  try {
    pqxx::read_transaction t(*conn);
    auto org = t.exec_params("SELECT 1 FROM organizations WHERE id = $1::uuid", org_id);
    if (org.empty()) problems.push_back("ORG_ID " + org_id + " not found in organizations");
    auto tenant = t.exec_params("SELECT organization_id::text FROM tenants WHERE id = $1::uuid", tenant_id);
    if (tenant.empty())
      problems.push_back("TENANT_ID " + tenant_id + " not found in tenants");
    else if (!org.empty() && tenant[0][0].c_str() != org_id)
      problems.push_back("TENANT_ID " + tenant_id + " belongs to organization " + tenant[0][0].c_str() +
                         ", not ORG_ID " + org_id);
    auto user = t.exec_params("SELECT tenant_id::text FROM users WHERE id = $1::uuid", user_id);
    if (user.empty())
      problems.push_back("USER_ID " + user_id + " not found in users");
    else if (!tenant.empty() && user[0][0].c_str() != tenant_id)
      problems.push_back("USER_ID " + user_id + " belongs to tenant " + user[0][0].c_str() + ", not TENANT_ID " +
                         tenant_id);
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return problems;
}

}  // namespace runner
