#include "notify/catalogue.h"

#include "util/text.h"

namespace captain::catalogue {
namespace {

using json = nlohmann::json;
namespace b = blocks;

std::string List(const std::vector<std::string>& v, const std::string& none = "none") {
  return v.empty() ? none : Join(v, ", ");
}

std::string Short(const std::string& commit) { return commit.substr(0, 7); }

std::string Changes(const std::vector<TagChange>& changes) {
  std::string out;
  for (const auto& c : changes) {
    out += "• `" + SlackEscape(c.service) + "` " +
           (c.from.empty() ? "" : "`" + SlackEscape(c.from) + "` → ") + "`" + SlackEscape(c.to) +
           "`\n";
  }
  return out.empty() ? "no tag changed\n" : out;
}

// (A vector, not a json: a one-element braced list would make a json object, not an array.)
Message Simple(std::string text, const std::vector<json>& blocks_list) {
  Message m;
  m.text = std::move(text);
  m.blocks = json::array();
  for (const auto& b : blocks_list) m.blocks.push_back(b);
  return m;
}

std::string AnswerText(const TeamAnswer& t) {
  std::string who = t.mention.empty() ? "*" + SlackEscape(t.team) + "*" : t.mention;
  std::string state = t.answer == "in"    ? ":white_check_mark: in"
                      : t.answer == "out" ? ":no_entry_sign: out"
                                          : ":hourglass: no answer yet";
  return who + ": " + state + (t.detail.empty() ? "" : " (" + SlackEscape(t.detail) + ")");
}

}  // namespace

Message Announce(const Announcement& a) {
  std::string partners;
  for (const auto& t : a.partners) partners += (partners.empty() ? "" : ", ") + t.team;
  Message m;
  m.key = "announce:" + a.release;
  m.text = "Release " + a.release + " is on its way. Partner teams (" +
           (partners.empty() ? "none" : partners) + "): opt in or out by " + a.opt_deadline +
           "; no answer means opted out. Lower regions deploy from " + a.lower_deploy + "." +
           (a.captains.empty() ? "" : " Release captains: " + a.captains + ".");
  m.blocks.push_back(b::Header("Release " + a.release));
  m.blocks.push_back(b::Section(
      "Partner teams: opt in or out by *" + a.opt_deadline +
      "*. No answer by then means opted out. Lower regions (dev, qa, sandbox) deploy from *" +
      a.lower_deploy + "*."));
  m.blocks.push_back(
      b::Fields({{"Release captains", a.captains.empty() ? "none named" : a.captains},
                 {"In by default (platform)", SlackEscape(List(a.platform_services))}}));
  for (const auto& t : a.partners) {
    m.blocks.push_back(b::Section(AnswerText(t)));
    if (a.closed) continue;
    json value = {{"release", a.release}, {"team", t.team}};
    m.blocks.push_back(b::Actions("opt:" + t.team, {b::Button("Opt in", "opt_in", value, "primary"),
                                                    b::Button("Opt out", "opt_out", value)}));
  }
  if (a.closed) m.blocks.push_back(b::Context("The opt window is closed."));
  return m;
}

Message AnnounceUpdate(const Announcement& a) {
  Message m = Announce(a);
  m.update_key = m.key;
  m.key.clear();
  return m;
}

Message OptWindowClosed(const std::string& release, const std::vector<std::string>& in,
                        const std::vector<std::string>& out,
                        const std::vector<std::string>& silent) {
  std::string text = "Release " + release + ": opt window closed. In: " + List(in) +
                     ". Out: " + List(out) + ". No response (out): " + List(silent) + ".";
  return Simple(text, {b::Header("Release " + release + ": opt window closed"),
                       b::Fields({{"In", SlackEscape(List(in))},
                                  {"Out", SlackEscape(List(out))},
                                  {"No response (out)", SlackEscape(List(silent))}})});
}

std::string StepKey(const std::string& release, const std::string& env, const std::string& commit) {
  return "step:" + release + ":" + env + ":" + Short(commit);
}

Message StepStarted(const Step& s) {
  Message m;
  m.key = StepKey(s.release, s.env, s.commit);
  m.text = "Release " + s.release + ": deploying to " + s.env + " (" +
           std::to_string(s.changes.size()) + " services, GitOps commit " + Short(s.commit) +
           ") by " + s.by + "." + (s.mentions.empty() ? "" : " " + s.mentions);
  m.blocks.push_back(b::Section(":rocket: *Release " + SlackEscape(s.release) +
                                "*: deploying to *" + SlackEscape(s.env) + "* (" +
                                SlackEscape(s.step) + " step)"));
  m.blocks.push_back(b::Section(Changes(s.changes)));
  m.blocks.push_back(b::Context("GitOps commit `" + Short(s.commit) + "` by " + SlackEscape(s.by) +
                                (s.mentions.empty() ? "" : " · " + s.mentions) +
                                " · progress follows in this thread"));
  return m;
}

Message TeamDeployed(const Step& s, const std::string& team) {
  std::string list;
  for (const auto& c : s.changes) list += " " + c.service + " " + c.to;
  Message m;
  m.text = "Release " + s.release + " deployed to " + s.env + ":" + list;
  m.blocks.push_back(b::Section("*Release " + SlackEscape(s.release) + "* deployed to *" +
                                SlackEscape(s.env) + "* for team " + SlackEscape(team) + ":"));
  m.blocks.push_back(b::Section(Changes(s.changes)));
  m.blocks.push_back(b::Context("GitOps commit `" + Short(s.commit) + "`"));
  return m;
}

Message StepProgress(const std::string& thread_key, const std::string& app, const std::string& sync,
                     const std::string& health, const std::string& revision) {
  Message m;
  m.thread_key = thread_key;
  m.text = app + ": " + sync + ", " + health + " at " + Short(revision);
  m.blocks.push_back(b::Context("`" + SlackEscape(app) + "`: " + SlackEscape(sync) + ", " +
                                SlackEscape(health) + " at `" + Short(revision) + "`"));
  return m;
}

Message StepVerified(const Step& s, const std::vector<std::string>& apps) {
  Message m;
  m.thread_key = StepKey(s.release, s.env, s.commit);
  m.text = "Release " + s.release + ": " + s.env + " verified. Every application (" + List(apps) +
           ") is Synced and Healthy at " + Short(s.commit) + ".";
  m.blocks.push_back(b::Section(":white_check_mark: " + SlackEscape(m.text)));
  return m;
}

Message StepNotVerified(const Step& s, const std::vector<std::string>& waiting, int minutes) {
  Message m;
  m.thread_key = StepKey(s.release, s.env, s.commit);
  m.text = "Release " + s.release + ": " + s.env + " not verified after " +
           std::to_string(minutes) + " minutes. Not Synced and Healthy at " + Short(s.commit) +
           ": " + List(waiting) + "." + (s.mentions.empty() ? "" : " " + s.mentions);
  m.blocks.push_back(b::Section(":warning: " + m.text));
  return m;
}

Message ReleaseNotes(const std::string& release,
                     const std::vector<std::pair<std::string, std::vector<std::string>>>& sections,
                     bool signature_refresh_only) {
  Message m;
  m.key = "notes:" + release;
  m.blocks.push_back(b::Header("Release notes: " + release));
  if (signature_refresh_only) {
    m.text = "Release " + release +
             " notes: signature refresh only. No code changed; every service is redeployed so "
             "its image signature stays valid.";
    m.blocks.push_back(b::Section(
        "*Signature refresh only.* No code changed; every service is redeployed so its image "
        "signature stays valid."));
    return m;
  }
  if (sections.empty()) {
    m.text = "Release " + release + ": no release notes were recorded before the deploy.";
    m.blocks.push_back(b::Section(
        "No release notes were recorded before the deploy. A captain drafts them from the "
        "commits with `captain release draft-notes` and edits them with `captain release "
        "note`."));
    return m;
  }
  m.text = "Release " + release + " notes:";
  for (const auto& [title, lines] : sections) {
    std::string body = "*" + title + "*\n";
    m.text += " " + title + ":";
    for (const auto& l : lines) {
      body += "• " + SlackEscape(l) + "\n";
      m.text += " " + l + ";";
    }
    m.blocks.push_back(b::Section(body));
  }
  return m;
}

Message ValidationReminder(const std::string& release, const std::string& team,
                           const std::string& mention, const std::string& env,
                           const std::string& deadline) {
  Message m;
  m.text = "Release " + release + ": team " + team +
           " has not signed off lower-region validation; services without sign-off by the "
           "defect cutoff are not deployed higher." +
           (mention.empty() ? "" : " " + mention);
  m.blocks.push_back(b::Section(":clipboard: *Release " + SlackEscape(release) +
                                "*: " + (mention.empty() ? "team " + SlackEscape(team) : mention) +
                                ", please validate in the lower regions and sign off by *" +
                                deadline +
                                "*. Services without sign-off by the defect cutoff are not "
                                "deployed higher."));
  m.blocks.push_back(
      b::Actions("signoff:" + team,
                 {b::Button("Sign off " + env, "signoff",
                            {{"release", release}, {"team", team}, {"env", env}}, "primary")}));
  return m;
}

Message DefectCutoff(const std::string& release, const std::vector<std::string>& held) {
  std::string text =
      "Release " + release + ": defect cutoff. Not deployed higher: " + List(held) + ".";
  return Simple(text, {b::Section(":scissors: " + SlackEscape(text))});
}

Message ReleaseSignedOff(const std::string& release, const std::string& env, const std::string& by,
                         const std::string& captains) {
  Message m;
  m.text =
      "Release " + release + " is complete and validated in " + env + ". Signed off by " + by + ".";
  m.blocks.push_back(b::Header("Release " + release + " signed off"));
  m.blocks.push_back(b::Section(":tada: " + SlackEscape(m.text)));
  if (!captains.empty()) m.blocks.push_back(b::Context("Release captains: " + captains));
  return m;
}

Message RolledBack(const Rollback& r) {
  Message m;
  m.text = "Release " + r.release + " rolled back in " + r.env + " by " + r.by + ": " + r.reason +
           " (incident #" + std::to_string(r.incident) + ")";
  m.blocks.push_back(b::Section(":rewind: *" + SlackEscape(m.text) + "*"));
  m.blocks.push_back(b::Section(Changes(r.restored)));
  m.blocks.push_back(b::Context("Fill in incident #" + std::to_string(r.incident) +
                                " with `captain incident`" +
                                (r.mentions.empty() ? "" : " · " + r.mentions)));
  return m;
}

Message SignaturesExpiring(const std::vector<std::string>& items, const std::string& mention) {
  Message m;
  m.text = "Signatures expiring soon: " + List(items) + (mention.empty() ? "" : " " + mention);
  std::string body =
      ":hourglass_flowing_sand: *Signatures expiring soon* (they are pulled into "
      "the next train):\n";
  for (const auto& i : items) body += "• " + SlackEscape(i) + "\n";
  m.blocks.push_back(b::Section(body));
  if (!mention.empty()) m.blocks.push_back(b::Context(mention));
  return m;
}

Message RequestFiled(const Request& r) {
  std::string kind = r.kind == "emergency" ? "Emergency" : "Ad-hoc";
  Message m;
  m.key = "request:" + r.id;
  m.text = kind + " deployment requested by " + r.by + ": " + List(r.services) + " at " +
           r.commit.substr(0, 12) + ". Changelog: " + r.changelog;
  m.blocks.push_back(b::Section("*" + kind + " deployment " + SlackEscape(r.id) +
                                "* requested by " + SlackEscape(r.by)));
  m.blocks.push_back(b::Fields({{"Services", SlackEscape(List(r.services))},
                                {"Commit", "`" + r.commit.substr(0, 12) + "`"},
                                {"Changelog", SlackEscape(r.changelog)}}));
  if (!r.captains.empty()) m.blocks.push_back(b::Context("For approval by " + r.captains));
  return m;
}

Message RequestApproved(const std::string& id, const std::string& by,
                        const std::string& scheduled) {
  Message m;
  m.thread_key = "request:" + id;
  m.text = "Deployment " + id + " approved by " + by +
           (scheduled.empty() ? std::string() : ", scheduled for " + scheduled) + ".";
  m.blocks.push_back(b::Section(":white_check_mark: " + SlackEscape(m.text)));
  return m;
}

Message RequestRefused(const std::string& id, const std::string& by, const std::string& reason) {
  Message m;
  m.thread_key = "request:" + id;
  m.text = "Deployment " + id + " refused by " + by + ": " + reason;
  m.blocks.push_back(b::Section(":x: " + SlackEscape(m.text)));
  return m;
}

Message ArgoAlert(const Alert& a) {
  Message m;
  std::string what = a.event == "sync-failed" ? "sync failed" : "health " + a.health;
  m.text = "ArgoCD: " + a.app + " (" + a.service + " in " + a.env + ") " + what +
           (a.message.empty() ? "" : ": " + a.message) + (a.mention.empty() ? "" : " " + a.mention);
  m.blocks.push_back(b::Section(":rotating_light: *" + SlackEscape(a.app) + "* (" +
                                SlackEscape(a.service) + " in " + SlackEscape(a.env) + ") " + what +
                                (a.mention.empty() ? "" : " " + a.mention)));
  m.blocks.push_back(b::Fields({{"Sync", SlackEscape(a.sync)},
                                {"Health", SlackEscape(a.health)},
                                {"Revision", "`" + Short(a.revision) + "`"}}));
  if (!a.message.empty()) m.blocks.push_back(b::Context(SlackEscape(a.message)));
  return m;
}

Message Ephemeral(const std::string& user, const std::string& text) {
  Message m;
  m.user = user;
  m.text = text;
  return m;
}

Message Plain(const std::string& text) { return Simple(text, {b::Section(SlackEscape(text))}); }

const std::vector<std::string>& EventNames() {
  static const std::vector<std::string> kNames = {"announce",
                                                  "opt-closed",
                                                  "step-started",
                                                  "step-progress",
                                                  "step-verified",
                                                  "step-unverified",
                                                  "team-deployed",
                                                  "release-notes",
                                                  "validation-reminder",
                                                  "defect-cutoff",
                                                  "signed-off",
                                                  "rollback",
                                                  "signatures-expiring",
                                                  "request-filed",
                                                  "request-approved",
                                                  "request-refused",
                                                  "argocd-alert"};
  return kNames;
}

}  // namespace captain::catalogue
