// Stores new git objects in a repository as one pack file and its index (pack format 2, index
// version 2), the way `git index-pack` would leave them: each object whole (no deltas) and
// zlib-compressed, the index written last so that the pack appears complete or not at all.
// captain writes each deploy commit's objects this way: one file pair per commit instead of a
// loose file per object, and none of the delta search and re-reading of a pack builder.
#pragma once

#include <git2.h>

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace captain::git {

struct NewObject {
  git_oid id{};
  git_object_t type = GIT_OBJECT_BLOB;
  std::string data;  // the content, without git's "<type> <size>\0" header
};

// The object with its id computed (SHA-1 of git's header and the content).
NewObject MakeObject(git_object_t type, std::string data);

// 40 hex of the SHA-1 of `bytes` (for the pack name and checksums).
std::string Sha1Hex(std::string_view bytes);

// Writes pack-<checksum>.pack and .idx into `pack_dir` (a repository's objects/pack), each
// flushed to disk before it is renamed into place, and the directory flushed after. Objects with
// the same id are stored once. Returns the pack's name (pack-<checksum>). The repository's object
// database must be refreshed (git_odb_refresh) to see it.
Result<std::string> WritePack(const std::string& pack_dir, std::vector<NewObject> objects);

}  // namespace captain::git
