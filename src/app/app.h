// The use cases' shared context: configuration, store and clock. Each use case loads
// state, asks the core rules, and writes the outcome and its audit entry in one transaction.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "config/config.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/model.h"
#include "core/plan.h"
#include "notify/message.h"
#include "store/store.h"

namespace captain {

struct App {
  const Config& config;
  Store& store;
  const Clock& clock;
  // The real clock when `clock` pretends (--now): audit entries keep both times.
  const Clock* wall = nullptr;

  Instant Now() const { return clock.Now(); }
  // A change's clock never runs backwards against the audit log: refused (usage error,
  // naming both times) when Now() is earlier than the latest recorded change.
  Status CheckClock() const;
  // The calendar train a release belongs to (by its release day).
  Train TrainOf(const Release& r) const;
  // Appends an audit entry stamped with the clock (after CheckClock).
  Status Audit(const std::string& actor, const std::string& action, const std::string& release_id,
               const std::string& subject, const nlohmann::json& before,
               const nlohmann::json& after) const;
  // Queues a Slack message for the outbox (in the caller's transaction). A channel of ""
  // means none is configured: nothing is queued.
  Status Post(const std::string& channel, const Message& m, const std::string& release_id) const;
  // A text-only message.
  Status Notify(const std::string& channel, const std::string& text,
                const std::string& release_id) const;
  // The release or a usage error naming it.
  Result<Release> GetRelease(const std::string& id) const;
  // The facts of a release, with the services whose signatures are due.
  Result<ReleaseFacts> Facts(const std::string& release_id) const;
};

// Input checks shared by the commands: each returns a usage error naming the field.
Status CheckActor(const std::string& by);
Result<const Team*> CheckTeam(const Config& c, const std::string& team);
Status CheckService(const Config& c, const std::string& service);
Status CheckEnvironment(const Config& c, const std::string& env);
// The deploy step named by --tier (lower, prod-test, prod…).
Result<Step> CheckStep(const Config& c, const std::string& step);
Status CheckCommit(const std::string& flag, const std::string& commit);
Status CheckText(const std::string& flag, const std::string& text, bool required);

nlohmann::json ReleaseJson(const Release& r);

}  // namespace captain
