#include "app/registry_verify.h"

#include <atomic>
#include <cstdlib>
#include <map>
#include <thread>

#include "core/facts_index.h"
#include "core/plan.h"
#include "registry/image_check.h"
#include "util/file.h"
#include "util/text.h"

namespace captain {
namespace {

// The host (and port) of a URL or of a Docker config's registry name: "https://ghcr.io/v2/"
// and "ghcr.io" are both "ghcr.io".
std::string UrlHost(std::string url) {
  if (auto scheme = url.find("://"); scheme != std::string::npos) url = url.substr(scheme + 3);
  return url.substr(0, url.find('/'));
}

// user:password of the Docker config.json's entry for `host` ("" when none).
std::string DockerAuth(const std::string& text, const std::string& host) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return "";
  nlohmann::json auths = j.value("auths", nlohmann::json::object());
  if (!auths.is_object()) return "";
  for (const auto& [name, entry] : auths.items()) {
    if (UrlHost(name) != host || !entry.is_object()) continue;
    auto decoded = Base64Decode(entry.value("auth", ""));
    return decoded ? *decoded : "";
  }
  return "";
}

// Which keys a check was made with: a check under other keys is not reused.
std::string KeysFingerprint(const Config& c) {
  std::string all;
  for (const auto& k : c.signature.public_keys) {
    auto pem = ReadFile(c.ResolvePath(k), 1 << 16);
    all += (pem ? *pem : k) + "\n";
  }
  return Sha256Digest(all).substr(7, 16);
}

}  // namespace

Result<std::unique_ptr<RegistryClient>> RegistryFromConfig(const Config& c) {
  const RegistryConfig& r = c.registry;
  if (r.url.empty()) return UsageError("no registry in " + c.source + " (registry.url)");
  RegistryOptions o;
  o.url = r.url;
  o.username = r.username;
  if (const char* p = std::getenv(r.password_env.c_str()); p && *p) o.password = p;
  if (o.password.empty() && !r.docker_config.empty()) {
    auto text = ReadFile(c.ResolvePath(r.docker_config), 1 << 20);
    if (!text) return UsageError(c.source + ": registry.docker_config: " + text.error().message);
    std::string auth = DockerAuth(*text, UrlHost(r.url));
    if (auto colon = auth.find(':'); colon != std::string::npos) {
      o.username = auth.substr(0, colon);
      o.password = auth.substr(colon + 1);
    }
  }
  if (!r.ca_file.empty()) o.ca_file = c.ResolvePath(r.ca_file);
  o.timeout_seconds = r.timeout_seconds;
  o.max_in_flight = r.max_in_flight;
  auto client = MakeCurlRegistry(o);
  if (!client)
    return UsageError(c.source + ": " + client.error().field + ": " + client.error().message);
  return client;
}

Result<std::vector<PublicKeyPtr>> KeysFromConfig(const Config& c) {
  std::vector<PublicKeyPtr> keys;
  for (size_t i = 0; i < c.signature.public_keys.size(); ++i) {
    std::string path = c.ResolvePath(c.signature.public_keys[i]);
    auto pem = ReadFile(path, 1 << 16);
    std::string field = c.source + ": signature.public_keys[" + std::to_string(i) + "]: ";
    if (!pem) return UsageError(field + pem.error().message);
    auto key = ParsePublicKey(*pem);
    if (!key) return UsageError(field + path + ": " + key.error().message);
    keys.push_back(std::move(*key));
  }
  if (keys.empty()) {
    return UsageError(c.source +
                      ": signature.public_keys: name the cosign public key(s) images must be "
                      "signed with");
  }
  return keys;
}

Status RecheckBeforeDeploy(const App& app, const std::string& release_id, const std::string& by) {
  if (app.config.registry.url.empty()) return {};
  auto registry = RegistryFromConfig(app.config);
  if (!registry) return registry.error();
  auto keys = KeysFromConfig(app.config);
  if (!keys) return keys.error();
  std::vector<const PublicKey*> list;
  for (const auto& k : *keys) list.push_back(k.get());
  auto checks = VerifyRelease(app, release_id, by, **registry, list);
  if (!checks) return checks.error();
  return {};
}

Result<std::vector<RegistryCheck>> VerifyRelease(const App& app, const std::string& release_id,
                                                 const std::string& by, RegistryClient& registry,
                                                 const std::vector<const PublicKey*>& keys) {
  if (auto st = CheckActor(by); !st) return st.error();
  auto facts = app.Facts(release_id);
  if (!facts) return facts.error();
  FactsIndex ix(*facts);
  std::string candidate = ReleaseCandidate(*facts);
  // The checks that passed with these keys, by image reference: their digest is the cache.
  std::string keys_id = KeysFingerprint(app.config);
  std::map<std::string, KnownGood> known;
  for (const auto& c : facts->registry_checks) {
    if (c.keys != keys_id) continue;
    if (c.verdict == "ok") {
      known[c.ref] = {c.digest, c.image_digest, c.revision, c.signed_at};
    } else {
      known.erase(c.ref);
    }
  }
  struct Job {
    const EvidenceImage* img;
    std::string commit;
    ImageRef ref;
    RegistryCheck out;
  };
  std::vector<Job> jobs;
  for (const auto& s : app.config.services) {
    std::string commit = CandidateCommit(ix, s.name, candidate);
    const EvidenceImage* img = commit.empty() ? nullptr : FindImage(ix, s.name, commit);
    if (!img) continue;  // the plan already says no-image
    auto ref = ParseImageRef(img->ref);
    if (!ref) continue;  // refused when the report was imported
    jobs.push_back({img, commit, *ref, {}});
  }
  // At most max_in_flight images at once; the client caps its requests the same way.
  std::atomic<size_t> next{0};
  // The registry hosts image references may name: registry.hosts, else registry.url's host.
  const std::vector<std::string> served =
      app.config.registry.hosts.empty() ? std::vector<std::string>{UrlHost(app.config.registry.url)}
                                        : app.config.registry.hosts;
  auto work = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      Job& j = jobs[i];
      auto k = known.find(j.img->ref);
      std::string host = j.ref.registry.empty() ? "docker.io" : j.ref.registry;
      ImageCheck c;
      if (std::find(served.begin(), served.end(), host) == served.end()) {
        c.verdict = ImageVerdict::kOtherRegistry;
        c.detail = host + " is not the registry at registry.url (" + app.config.registry.url +
                   "), which serves " + Join(served, ", ") +
                   "; list it in registry.hosts if that registry mirrors it";
      } else {
        c = CheckImage(registry, keys, j.ref, j.commit, app.config.registry.platform,
                       k == known.end() ? nullptr : &k->second);
      }
      j.out = {j.img->service,
               j.img->ref,
               c.digest,
               c.image_digest,
               std::string(VerdictName(c.verdict)),
               c.revision,
               c.signed_at,
               c.detail,
               app.Now(),
               keys_id};
      if (c.verdict == ImageVerdict::kOk) {
        j.out.detail = std::string(c.cached ? "unchanged since it was verified; " : "") +
                       "signed, built from " + c.revision.substr(0, 12);
      }
    }
  };
  std::vector<std::thread> threads;
  size_t n = std::min<size_t>(jobs.size(), std::max(1, app.config.registry.max_in_flight));
  for (size_t t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  std::vector<RegistryCheck> out;
  for (const auto& j : jobs) out.push_back(j.out);
  Status st = app.store.Transaction([&]() -> Status {
    nlohmann::json summary = nlohmann::json::object();
    for (const auto& c : out) {
      if (auto s = app.store.AddRegistryCheck(release_id, c); !s) return s;
      summary[c.service] = c.verdict;
    }
    return app.Audit(by, "evidence.verify", release_id, app.config.registry.url, nullptr,
                     {{"images", summary}});
  });
  if (!st) return st.error();
  return out;
}

}  // namespace captain
