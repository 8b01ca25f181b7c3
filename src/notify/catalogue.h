// The message catalogue: every message captain posts to Slack, as pure functions of what the
// message is about. Inputs carry text that is already formatted (local times, Slack mentions
// such as "<@U0123>" or "<!subteam^S0123>"); the functions only lay it out, in Block Kit with
// a plain-text fallback.
#pragma once

#include <string>
#include <vector>

#include "notify/message.h"

namespace captain::catalogue {

// A partner team on the announcement: its answer so far ("in", "out" or "" for none yet).
struct TeamAnswer {
  std::string team;
  std::string mention;  // "" when captain.yaml names no Slack id for the team
  std::string answer;
  std::string detail;  // e.g. the services opted in, or who answered
};

struct Announcement {
  std::string release;
  std::string opt_deadline;  // local, e.g. "Tue 2026-12-08 15:00 EST"
  std::string lower_deploy;
  std::string captains;                        // mentions or names; "" when none named
  std::vector<std::string> platform_services;  // in by default
  std::vector<TeamAnswer> partners;
  bool closed = false;  // the opt window has closed (no buttons)
};
Message Announce(const Announcement& a);
// The same announcement, replacing the one already posted.
Message AnnounceUpdate(const Announcement& a);

Message OptWindowClosed(const std::string& release, const std::vector<std::string>& in,
                        const std::vector<std::string>& out,
                        const std::vector<std::string>& silent);

struct TagChange {
  std::string service;
  std::string from;  // "" when it was not deployed before
  std::string to;
};

struct Step {
  std::string release;
  std::string step;  // lower, higher…
  std::string env;
  std::string commit;  // the GitOps commit
  std::string by;
  std::string mentions;  // the teams concerned and the captains
  std::vector<TagChange> changes;
};
// The key of a deploy step's message, under which its progress is threaded.
std::string StepKey(const std::string& release, const std::string& env, const std::string& commit);
Message StepStarted(const Step& s);
// Tells one team what of its own was deployed (posted in the team's channel).
Message TeamDeployed(const Step& s, const std::string& team);
// One application's sync and health, in the step's thread.
Message StepProgress(const std::string& thread_key, const std::string& app, const std::string& sync,
                     const std::string& health, const std::string& revision);
// The step is finished: every application synced and healthy at the new revision.
Message StepVerified(const Step& s, const std::vector<std::string>& apps);
// The step is not verified in time: the applications still waited for.
Message StepNotVerified(const Step& s, const std::vector<std::string>& waiting, int minutes);

// The release notes, published when the lower deploy begins. `sections` are (category title,
// lines); a release with no change but refreshed signatures says so.
Message ReleaseNotes(const std::string& release,
                     const std::vector<std::pair<std::string, std::vector<std::string>>>& sections,
                     bool signature_refresh_only);

Message ValidationReminder(const std::string& release, const std::string& team,
                           const std::string& mention, const std::string& env,
                           const std::string& deadline);
Message DefectCutoff(const std::string& release, const std::vector<std::string>& held);
Message ReleaseSignedOff(const std::string& release, const std::string& env, const std::string& by,
                         const std::string& captains);

struct Rollback {
  std::string release;
  std::string env;
  std::string by;
  std::string reason;
  int64_t incident = 0;
  std::string mentions;
  std::vector<TagChange> restored;
};
Message RolledBack(const Rollback& r);

Message SignaturesExpiring(const std::vector<std::string>& items, const std::string& mention);

struct Request {
  std::string id;
  std::string kind;  // ad-hoc, emergency
  std::string by;
  std::vector<std::string> services;
  std::string commit;
  std::string changelog;
  std::string captains;
};
Message RequestFiled(const Request& r);
Message RequestApproved(const std::string& id, const std::string& by, const std::string& scheduled);
Message RequestRefused(const std::string& id, const std::string& by, const std::string& reason);

// An ArgoCD alert in the owning team's channel: a failed sync or degraded health.
struct Alert {
  std::string app;
  std::string service;
  std::string env;
  std::string event;  // sync-failed, health-degraded
  std::string sync;
  std::string health;
  std::string revision;
  std::string message;
  std::string mention;
};
Message ArgoAlert(const Alert& a);

// An answer only `user` sees.
Message Ephemeral(const std::string& user, const std::string& text);

// A text-only message (scheduled steps, defects): `text` is shown as one section.
Message Plain(const std::string& text);

// The names `notify preview` knows, in catalogue order.
const std::vector<std::string>& EventNames();

}  // namespace captain::catalogue
