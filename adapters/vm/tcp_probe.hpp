#pragma once
// Does something accept TCP connections at address:port within `timeout`?
// Blocking (bounded by the timeout); used while waiting for a clone's SSH.
#include <chrono>
#include <string>

namespace runner {
bool tcp_port_open(const std::string& address, int port, std::chrono::milliseconds timeout);
}
