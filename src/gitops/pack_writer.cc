#include "gitops/pack_writer.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

namespace captain::git {
namespace {

using Digest = std::array<unsigned char, 20>;

// Incremental SHA-1 (OpenSSL's EVP interface).
class Sha1 {
 public:
  Sha1() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_.get(), EVP_sha1(), nullptr); }
  void Update(std::string_view bytes) { EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()); }
  Digest Final() {
    Digest d{};
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_.get(), d.data(), &n);
    return d;
  }

 private:
  struct Free {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> ctx_;
};

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

void PutU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// An object's entry header in a pack: type and size, 4 bits then 7 bits per byte.
void PutEntryHeader(std::string& out, git_object_t type, size_t size) {
  unsigned char c = static_cast<unsigned char>((static_cast<unsigned>(type) << 4) | (size & 15));
  size >>= 4;
  while (size != 0) {
    out.push_back(static_cast<char>(c | 0x80));
    c = static_cast<unsigned char>(size & 0x7f);
    size >>= 7;
  }
  out.push_back(static_cast<char>(c));
}

Status Deflate(std::string& out, std::string_view data) {
  uLongf bound = compressBound(static_cast<uLong>(data.size()));
  size_t at = out.size();
  out.resize(at + bound);
  // Level 1: these are small text files; the remote repacks them as it likes.
  int rc =
      compress2(reinterpret_cast<Bytef*>(out.data() + at), &bound,
                reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()), 1);
  if (rc != Z_OK)
    return OtherError("compressing a git object failed (zlib error " + std::to_string(rc) + ")");
  out.resize(at + bound);
  return {};
}

// Writes `bytes` to dir/name through a new temporary file (dir/tmp_<kind>_XXXXXX, git's
// spelling), flushed to disk before the rename; read-only, as git leaves pack files.
Status WriteDurably(const std::string& dir, const std::string& kind, const std::string& name,
                    std::string_view bytes) {
  std::string tmp = dir + "/tmp_" + kind + "_XXXXXX";
  std::string final_path = dir + "/" + name;
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return OtherError("cannot create a file in " + dir + ": " + std::strerror(errno));
  auto fail = [&](const std::string& doing) {
    int e = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return OtherError("cannot " + doing + " " + tmp + ": " + std::strerror(e));
  };
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("write");
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd, 0444) != 0) return fail("set the mode of");
  if (::fsync(fd) != 0) return fail("flush");
  if (::close(fd) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return OtherError("cannot write " + tmp + ": " + std::strerror(e));
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return OtherError("cannot rename " + tmp + " to " + final_path + ": " + std::strerror(e));
  }
  return {};
}

// Flushes a directory's entries (the renames into it) to disk.
Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return OtherError("cannot open " + dir + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int e = errno;
  ::close(fd);
  if (rc != 0) return OtherError("cannot flush " + dir + ": " + std::strerror(e));
  return {};
}

}  // namespace

NewObject MakeObject(git_object_t type, std::string data) {
  NewObject o;
  o.type = type;
  o.data = std::move(data);
  git_odb_hash(&o.id, o.data.data(), o.data.size(), type);
  return o;
}

std::string Sha1Hex(std::string_view bytes) {
  Sha1 h;
  h.Update(bytes);
  Digest d = h.Final();
  return Hex(d.data(), d.size());
}

Result<std::string> WritePack(const std::string& pack_dir, std::vector<NewObject> objects) {
  std::sort(objects.begin(), objects.end(),
            [](const NewObject& a, const NewObject& b) { return git_oid_cmp(&a.id, &b.id) < 0; });
  objects.erase(std::unique(objects.begin(), objects.end(),
                            [](const NewObject& a, const NewObject& b) {
                              return git_oid_equal(&a.id, &b.id);
                            }),
                objects.end());
  if (objects.empty()) return UsageError("a pack needs at least one object");
  if (objects.size() > UINT32_MAX) return UsageError("too many objects for one pack");

  std::string pack = "PACK";
  PutU32(pack, 2);
  PutU32(pack, static_cast<uint32_t>(objects.size()));
  std::vector<uint32_t> offsets, crcs;
  offsets.reserve(objects.size());
  crcs.reserve(objects.size());
  for (const NewObject& o : objects) {
    size_t at = pack.size();
    if (at > 0x7fffffffu) return UsageError("a pack of new objects over 2 GiB");
    offsets.push_back(static_cast<uint32_t>(at));
    PutEntryHeader(pack, o.type, o.data.size());
    if (Status s = Deflate(pack, o.data); !s) return s.error();
    crcs.push_back(static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(pack.data() + at),
                                               static_cast<uInt>(pack.size() - at))));
  }
  Digest pack_sum = [&] {
    Sha1 h;
    h.Update(pack);
    return h.Final();
  }();
  pack.append(reinterpret_cast<const char*>(pack_sum.data()), pack_sum.size());

  // Index version 2: magic, version, fan-out, ids, CRCs, offsets, pack checksum, own checksum.
  std::string idx = "\377tOc";
  PutU32(idx, 2);
  std::array<uint32_t, 256> fanout{};
  for (const NewObject& o : objects) ++fanout[o.id.id[0]];
  uint32_t running = 0;
  for (uint32_t& f : fanout) f = running += f;
  for (uint32_t f : fanout) PutU32(idx, f);
  for (const NewObject& o : objects)
    idx.append(reinterpret_cast<const char*>(o.id.id), GIT_OID_RAWSZ);
  for (uint32_t c : crcs) PutU32(idx, c);
  for (uint32_t off : offsets) PutU32(idx, off);
  idx.append(reinterpret_cast<const char*>(pack_sum.data()), pack_sum.size());
  Digest idx_sum = [&] {
    Sha1 h;
    h.Update(idx);
    return h.Final();
  }();
  idx.append(reinterpret_cast<const char*>(idx_sum.data()), idx_sum.size());

  std::string name = "pack-" + Hex(pack_sum.data(), pack_sum.size());
  // The pack first, its index last: readers find packs by their index.
  if (Status s = WriteDurably(pack_dir, "pack", name + ".pack", pack); !s) return s.error();
  if (Status s = WriteDurably(pack_dir, "idx", name + ".idx", idx); !s) return s.error();
  if (Status s = SyncDirectory(pack_dir); !s) return s.error();
  return name;
}

}  // namespace captain::git
