#pragma once
// Writing a whole buffer to a file descriptor: write(2) may write less than asked
// (a signal, a pipe, a full disk on the way) and must be called again for the rest.
#include <string>

namespace runner {

// true when every byte was written; false with errno set (ENOSPC, EIO, ...).
bool write_all(int fd, const std::string& data);

}  // namespace runner
