// captain evidence verify as an operation.
#include "app/op_input.h"
#include "app/ops.h"
#include "app/registry_verify.h"

namespace captain {

Result<Document> OpEvidenceVerify(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string release = in.Str("release");
  if (!in.ok()) return in.error();
  if (auto r = app.GetRelease(release); !r) return r.error();
  auto registry = RegistryFromConfig(app.config);
  if (!registry) return registry.error();
  auto keys = KeysFromConfig(app.config);
  if (!keys) return keys.error();
  std::vector<const PublicKey*> key_list;
  for (const auto& k : *keys) key_list.push_back(k.get());
  auto checks = VerifyRelease(app, release, req.actor, **registry, key_list);
  if (!checks) return checks.error();
  nlohmann::json images = nlohmann::json::array();
  size_t ok = 0;
  for (const auto& c : *checks) {
    ok += c.verdict == "ok";
    images.push_back(
        {{"service", c.service},
         {"ref", c.ref},
         {"verdict", c.verdict},
         {"digest", c.digest},
         {"image_digest", c.image_digest},
         {"revision", c.revision},
         {"signed_at", c.signed_at ? nlohmann::json(FormatUtc(*c.signed_at)) : nullptr},
         {"detail", c.detail}});
  }
  return Document{{{"release", release},
                   {"registry", app.config.registry.url},
                   {"verified", ok},
                   {"refused", checks->size() - ok},
                   {"images", images}},
                  ""};
}

}  // namespace captain
