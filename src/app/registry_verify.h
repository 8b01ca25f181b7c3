// captain evidence verify: the images a release would ship checked against the registry
// (registry/image_check.h), each outcome recorded as evidence the plan uses beside the SecRel
// report's claims.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/app.h"
#include "registry/cosign.h"
#include "registry/registry_client.h"

namespace captain {

// The client captain.yaml's `registry:` describes, with its credentials (the password from
// registry.password_env, or the Docker config.json's auths); a usage error naming the field.
Result<std::unique_ptr<RegistryClient>> RegistryFromConfig(const Config& c);
// signature.public_keys, read and parsed; a usage error naming the file.
Result<std::vector<PublicKeyPtr>> KeysFromConfig(const Config& c);

// Checks the candidate image of every service of `release_id` that has SecRel evidence, at
// most registry.max_in_flight at once, and records the outcomes (audit: evidence.verify).
Result<std::vector<RegistryCheck>> VerifyRelease(const App& app, const std::string& release_id,
                                                 const std::string& by, RegistryClient& registry,
                                                 const std::vector<const PublicKey*>& keys);

// Before a deploy step writes tags (registry.url set): the release's images checked again and
// recorded, so the step's plan refuses an image deleted or re-tagged since it was planned.
Status RecheckBeforeDeploy(const App& app, const std::string& release_id, const std::string& by);

}  // namespace captain
