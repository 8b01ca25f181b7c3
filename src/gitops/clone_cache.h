// captain's bare clone is a cache: whatever an interrupted captain left in it is cleared, by
// the process holding the work dir's lock, before the clone is used.
#pragma once

#include <string>

#include "util/result.h"

namespace captain {

// Under the work dir lock: removes unfinished clones (`<dir>.clone-*`), a `dir` that is not a
// git repository but holds only what git itself puts in one (an interrupted clone, or a clone
// deleted while in use), and lock files left in its refs. A `dir` holding anything else is a
// usage error: it is not captain's to delete.
Status HealCloneCache(const std::string& dir);

// Where a new clone is made before it is renamed into `dir` (a kill leaves only this behind).
std::string CloneStagingDir(const std::string& dir);

}  // namespace captain
