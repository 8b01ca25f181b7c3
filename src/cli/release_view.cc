#include "cli/release_view.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace captain {
namespace {

std::string Pad(std::string s, size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

std::string OptText(OptStatus s) {
  switch (s) {
    case OptStatus::kIn:
      return "in";
    case OptStatus::kOut:
      return "out";
    case OptStatus::kNoResponse:
      return "no-response";
    case OptStatus::kPending:
      return "pending";
  }
  return "";
}

// Whether deploy step `step` covers environment `env`.
bool StepHas(const Config& c, const std::string& step, const std::string& env) {
  if (step == env) return true;
  return step == "lower" && c.IsLower(env);
}

nlohmann::json Parsed(const std::string& text) {
  if (text.empty()) return nullptr;
  return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace

nlohmann::json PlanJson(const Plan& p, const ViewFilter& f) {
  nlohmann::json services = nlohmann::json::array();
  for (const auto& d : p.decisions) {
    if (!f.Shows(d.team)) continue;
    nlohmann::json j = {{"service", d.service},
                        {"team", d.team},
                        {"decision", d.deploy ? "deploy" : "skip"},
                        {"reason", d.deploy ? nlohmann::json() : nlohmann::json(d.reason)},
                        {"detail", d.detail},
                        {"commit", d.commit},
                        {"tag", d.tag},
                        {"ref", d.ref},
                        {"environments", d.environments}};
    services.push_back(j);
  }
  return {{"release", p.release_id},
          {"tier", p.step},
          {"candidate", p.candidate},
          {"services", services}};
}

std::string PlanText(const Config& c, const Plan& p, const ViewFilter& f) {
  std::ostringstream out;
  out << "Plan for release " << p.release_id << ", step " << p.step << " (candidate "
      << (p.candidate.empty() ? "none" : p.candidate.substr(0, 12)) << ")\n";
  std::map<std::string, std::vector<const Decision*>> by_team;
  for (const auto& d : p.decisions) {
    if (f.Shows(d.team)) by_team[d.team].push_back(&d);
  }
  for (const auto& t : c.teams) {
    auto it = by_team.find(t.name);
    if (it == by_team.end()) continue;
    size_t deploying = 0;
    for (const Decision* d : it->second) deploying += d->deploy;
    out << "team " << t.name << ": " << deploying << " of " << it->second.size() << " deploy\n";
    for (const Decision* dp : it->second) {
      const Decision& d = *dp;
      out << "  " << Pad(d.service, 22) << (d.deploy ? "deploy " : "skip   ")
          << Pad(d.deploy ? d.tag : d.reason, 19);
      if (d.deploy) {
        std::string envs;
        for (const auto& e : d.environments) envs += (envs.empty() ? "" : ",") + e;
        out << "-> " << envs;
        if (!d.detail.empty()) out << "  (" << d.detail << ")";
      } else {
        out << d.detail;
      }
      out << "\n";
    }
  }
  return out.str();
}

nlohmann::json ReleaseViewJson(const Config& c, const ReleaseView& v, Instant now,
                               const ViewFilter& f) {
  nlohmann::json j = ReleaseJson(v.release);
  nlohmann::json ms = nlohmann::json::object();
  for (MilestoneId id : kAllMilestones)
    ms[std::string(MilestoneName(id))] = FormatUtc(v.train.When(id));
  j["milestones"] = ms;
  Instant deadline = v.train.When(MilestoneId::kOptDeadline);
  FactsIndex ix(v.facts);
  nlohmann::json services = nlohmann::json::array();
  for (size_t i = 0; i < c.services.size(); ++i) {
    const Service& s = c.services[i];
    if (!f.Shows(s.team)) continue;
    nlohmann::json sj = {{"service", s.name}, {"team", s.team}};
    sj["opt"] = OptText(EffectiveOpt(c, ix, s.name, deadline, now));
    nlohmann::json plans = nlohmann::json::object();
    for (const auto& p : v.plans) {
      const Decision& d = p.decisions[i];  // decisions are in configuration order
      if (!f.env.empty() && !StepHas(c, p.step, f.env)) continue;
      sj["commit"] = d.commit;
      sj["tag"] = d.tag;
      plans[p.step] = d.deploy ? nlohmann::json({{"decision", "deploy"}})
                               : nlohmann::json({{"decision", "skip"}, {"reason", d.reason}});
    }
    sj["eligibility"] = plans;
    nlohmann::json envs = nlohmann::json::object();
    for (const Deployment* d : ix.DeploymentsOf(s.name)) {  // oldest first: the last one stays
      if (f.env.empty() || d->env == f.env) {
        envs[d->env] = {{"tag", d->new_tag}, {"at", FormatUtc(d->at)}};
      }
    }
    sj["environments"] = envs;
    nlohmann::json defects = nlohmann::json::array();
    for (const Defect* d : ix.DefectsOf(s.name)) {
      defects.push_back({{"id", d->id}, {"title", d->title}, {"open", d->open()}});
    }
    sj["defects"] = defects;
    services.push_back(sj);
  }
  j["services"] = services;
  nlohmann::json signoffs = nlohmann::json::array();
  for (const auto& s : v.facts.signoffs) {
    signoffs.push_back({{"team", s.team}, {"env", s.env}, {"by", s.by}, {"at", FormatUtc(s.at)}});
  }
  j["signoffs"] = signoffs;
  nlohmann::json notes = nlohmann::json::array();
  for (const auto& n : v.facts.notes) {
    notes.push_back({{"category", n.category}, {"text", n.text}, {"by", n.by}});
  }
  j["notes"] = notes;
  return j;
}

std::string ReleaseViewText(const Config& c, const ReleaseView& v, Instant now,
                            const ViewFilter& f) {
  std::ostringstream out;
  const auto* tz = c.calendar.tz;
  out << "Release " << v.release.id << " (" << KindName(v.release.kind) << "), "
      << StateName(v.release.state) << "\n";
  out << "  opt-in deadline " << FormatLocal(v.train.When(MilestoneId::kOptDeadline), tz)
      << ", defect cutoff " << FormatLocal(v.train.When(MilestoneId::kDefectCutoff), tz) << "\n";
  if (v.release.kind != ReleaseKind::kStandard)
    out << "  changelog: " << v.release.changelog << "\n";
  auto json = ReleaseViewJson(c, v, now, f);
  std::vector<const Plan*> plans;
  for (const auto& p : v.plans) {
    if (f.env.empty() || StepHas(c, p.step, f.env)) plans.push_back(&p);
  }
  // Grouped by team in configuration order, whatever order the services are listed in.
  std::map<std::string, size_t> team_order;
  for (size_t i = 0; i < c.teams.size(); ++i) team_order[c.teams[i].name] = i;
  std::vector<const nlohmann::json*> rows;
  for (const auto& s : json["services"]) rows.push_back(&s);
  std::stable_sort(rows.begin(), rows.end(), [&](const nlohmann::json* a, const nlohmann::json* b) {
    return team_order[(*a)["team"]] < team_order[(*b)["team"]];
  });
  std::string team;
  for (const nlohmann::json* row : rows) {
    const nlohmann::json& s = *row;
    if (s["team"] != team) {
      team = s["team"];
      out << "team " << team << "\n";
      out << "  " << Pad("service", 22) << Pad("opt", 12) << Pad("tag", 9);
      for (const Plan* p : plans) out << Pad(p->step, 18);
      out << "deployed\n";
    }
    out << "  " << Pad(s["service"], 22) << Pad(s["opt"], 12) << Pad(s.value("tag", ""), 9);
    for (const Plan* pp : plans) {
      const Plan& p = *pp;
      const auto& e = s["eligibility"][p.step];
      out << Pad(e["decision"] == "deploy" ? "deploy" : e["reason"].get<std::string>(), 18);
    }
    std::string envs;
    for (auto it = s["environments"].begin(); it != s["environments"].end(); ++it) {
      envs += (envs.empty() ? "" : " ") + it.key() + "=" + it.value()["tag"].get<std::string>();
    }
    out << (envs.empty() ? "-" : envs) << "\n";
    for (const auto& d : s["defects"]) {
      out << "    defect #" << d["id"].get<int64_t>()
          << (d["open"].get<bool>() ? " (open): " : " (resolved): ")
          << d["title"].get<std::string>() << "\n";
    }
  }
  for (const auto& s : v.facts.signoffs) {
    out << "  signed off: " << s.team << " in " << s.env << " by " << s.by << " at "
        << FormatLocal(s.at, tz) << "\n";
  }
  for (const auto& n : v.facts.notes) out << "  note [" << n.category << "] " << n.text << "\n";
  return out.str();
}

nlohmann::json AuditJson(const AuditEntry& e) {
  nlohmann::json j = {{"id", e.id},
                      {"at", FormatUtc(e.at)},
                      {"actor", e.actor},
                      {"action", e.action},
                      {"release", e.release_id},
                      {"subject", e.subject},
                      {"before", Parsed(e.before)},
                      {"after", Parsed(e.after)}};
  if (e.recorded_at) j["recorded_at"] = FormatUtc(*e.recorded_at);
  return j;
}

std::string AuditText(const AuditEntry& e) {
  std::ostringstream out;
  out << FormatUtc(e.at) << "  " << Pad(e.actor, 12) << Pad(e.action, 22) << Pad(e.release_id, 12)
      << e.subject;
  if (!e.after.empty()) out << "  " << e.after;
  if (e.recorded_at) out << "  (recorded " << FormatUtc(*e.recorded_at) << ")";
  return out.str();
}

nlohmann::json SignaturesJson(const std::vector<SignatureAge>& ages) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& a : ages) {
    list.push_back(
        {{"service", a.service},
         {"env", a.env},
         {"tag", a.tag},
         {"signed_at", a.signed_at ? nlohmann::json(FormatUtc(*a.signed_at)) : nlohmann::json()},
         {"expires_at", a.expires_at ? nlohmann::json(FormatUtc(*a.expires_at)) : nlohmann::json()},
         {"days_left", a.signed_at ? nlohmann::json(a.days_left) : nlohmann::json()},
         {"status", SignatureStatusName(a.status)},
         {"must_ship_in",
          a.must_ship_in.empty() ? nlohmann::json() : nlohmann::json(a.must_ship_in)}});
  }
  return {{"signatures", list}};
}

std::string SignaturesText(const std::vector<SignatureAge>& ages) {
  std::ostringstream out;
  out << "  " << Pad("service", 22) << Pad("env", 11) << Pad("tag", 9) << Pad("signed", 22)
      << Pad("days left", 10) << Pad("status", 9) << "must ship in\n";
  for (const auto& a : ages) {
    out << "  " << Pad(a.service, 22) << Pad(a.env, 11) << Pad(a.tag.empty() ? "-" : a.tag, 9)
        << Pad(a.signed_at ? FormatUtc(*a.signed_at) : "-", 22)
        << Pad(a.signed_at ? std::to_string(a.days_left) : "-", 10)
        << Pad(std::string(SignatureStatusName(a.status)), 9)
        << (a.must_ship_in == "adhoc" ? "an ad-hoc deploy" : a.must_ship_in) << "\n";
  }
  return out.str();
}

}  // namespace captain
