// Reads a branch's head commit from a git repository (a path or URL) without cloning it.
#pragma once

#include <string>

#include "util/result.h"

namespace captain {

Result<std::string> RemoteBranchHead(const std::string& repo, const std::string& branch);

}  // namespace captain
