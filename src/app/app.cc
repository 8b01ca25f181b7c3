#include "app/app.h"

#include "core/signatures.h"
#include "util/text.h"

namespace captain {

Train App::TrainOf(const Release& r) const {
  return ComputeTrain(config.calendar, SprintIndexOfDate(config.calendar, r.release_day));
}

Status App::CheckClock() const {
  auto latest = store.LatestAuditAt();
  if (!latest) return latest.error();
  if (*latest && Now() < **latest) {
    return FieldError("now",
                      FormatUtc(Now()) + " is earlier than the latest recorded change (" +
                          FormatUtc(**latest) +
                          "); a change cannot be recorded before one already in the audit log");
  }
  return {};
}

Status App::Audit(const std::string& actor, const std::string& action,
                  const std::string& release_id, const std::string& subject,
                  const nlohmann::json& before, const nlohmann::json& after) const {
  if (auto st = CheckClock(); !st) return st;
  AuditEntry e;
  e.at = Now();
  if (wall && wall->Now() != e.at) e.recorded_at = wall->Now();
  e.actor = actor;
  e.action = action;
  e.release_id = release_id;
  e.subject = subject;
  auto text = [](const nlohmann::json& j) {
    return j.is_null() ? "" : j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  e.before = text(before);
  e.after = text(after);
  return store.AppendAudit(e);
}

Status App::Post(const std::string& channel, const Message& m,
                 const std::string& release_id) const {
  if (channel.empty()) return {};
  bool webhook = !config.slack.WebhookEnv(channel).empty();
  // An incoming webhook can neither update a message, nor reply in a thread, nor speak to
  // one user: updates and ephemeral answers are dropped, replies posted in the channel.
  if (webhook && (!m.update_key.empty() || !m.user.empty())) return {};
  OutboxMessage o;
  o.created_at = Now();
  o.channel = channel;
  o.text = m.text;
  o.release_id = release_id;
  o.blocks = m.blocks.empty() ? "" : m.blocks.dump();
  o.key = m.key;
  o.thread_key = webhook ? "" : m.thread_key;
  o.update_key = m.update_key;
  o.user = m.user;
  return store.QueueMessage(o);
}

Status App::Notify(const std::string& channel, const std::string& text,
                   const std::string& release_id) const {
  Message m;
  m.text = text;
  return Post(channel, m, release_id);
}

Result<Release> App::GetRelease(const std::string& id) const {
  auto r = store.FindRelease(id);
  if (!r) return r.error();
  if (!*r) return NotFoundError("unknown release '" + id + "' (see 'captain release list')");
  return **r;
}

Result<ReleaseFacts> App::Facts(const std::string& release_id) const {
  auto facts = store.LoadFacts(release_id);
  if (!facts) return facts.error();
  auto oldest = store.LoadOldestSignatures();
  if (!oldest) return oldest.error();
  Train train = TrainOf(facts->release);
  Train following = ComputeTrain(config.calendar, train.index + 1);
  facts->signature_due = DueServices(config, *oldest, Now(), train, following);
  return facts;
}

Status CheckActor(const std::string& by) {
  if (by.empty()) return FieldError("by", "say who is acting (a name or handle)");
  if (!IsUtf8(by)) return FieldError("by", "not valid UTF-8 (check $CAPTAIN_USER or $USER)");
  for (unsigned char ch : by) {
    if (ch < 0x20 || ch == 0x7f) return FieldError("by", "control characters are not allowed");
  }
  if (by.size() > 200) return FieldError("by", "at most 200 characters");
  return {};
}

Result<const Team*> CheckTeam(const Config& c, const std::string& team) {
  const Team* t = c.FindTeam(team);
  if (!t) return FieldError("team", "unknown team '" + team + "'");
  return t;
}

Status CheckService(const Config& c, const std::string& service) {
  if (!c.FindService(service)) return FieldError("service", "unknown service '" + service + "'");
  return {};
}

Status CheckEnvironment(const Config& c, const std::string& env) {
  if (!c.FindEnvironment(env)) return FieldError("env", "unknown environment '" + env + "'");
  return {};
}

Result<Step> CheckStep(const Config& c, const std::string& step) {
  auto found = FindStep(c, step);
  if (found) return *found;
  std::string names;
  for (const auto& s : StepsOf(c)) names += (names.empty() ? "" : ", ") + s.name;
  return FieldError("tier", "unknown step '" + step + "' (expected " + names + ")");
}

Status CheckCommit(const std::string& flag, const std::string& commit) {
  if (!IsCommitHash(commit)) {
    return FieldError(
        flag, "'" + commit + "' is not a commit hash (7 to 40 lower-case hexadecimal digits)");
  }
  return {};
}

Status CheckText(const std::string& flag, const std::string& text, bool required) {
  if (required && text.find_first_not_of(" \t") == std::string::npos) {
    return FieldError(flag, "must not be empty");
  }
  if (!IsUtf8(text)) return FieldError(flag, "not valid UTF-8");
  for (unsigned char ch : text) {
    if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) {
      return FieldError(flag, "control characters are not allowed");
    }
  }
  if (text.size() > 4000) return FieldError(flag, "at most 4000 bytes");
  return {};
}

nlohmann::json ReleaseJson(const Release& r) {
  nlohmann::json j = {{"id", r.id},
                      {"kind", KindName(r.kind)},
                      {"release_day", FormatDate(r.release_day)},
                      {"state", StateName(r.state)},
                      {"candidate_commit", r.candidate_commit},
                      {"created_by", r.created_by},
                      {"created_at", FormatUtc(r.created_at)}};
  if (r.kind != ReleaseKind::kStandard) {
    j["requested_services"] = r.requested_services;
    j["changelog"] = r.changelog;
    j["approved"] = r.approved;
    j["scheduled_at"] =
        r.scheduled_at ? nlohmann::json(FormatUtc(*r.scheduled_at)) : nlohmann::json();
  }
  return j;
}

}  // namespace captain
