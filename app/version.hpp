#pragma once
// Version of this build and the git commit it was built from (generated at build time).
namespace runner {
const char* version();
const char* git_commit();
}  // namespace runner
