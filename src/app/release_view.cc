#include "app/release_view.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "app/json_writer.h"

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

namespace {

// One service of a release view, computed once for both the JSON and the text.
struct ServiceRow {
  const Service* service;
  std::string opt;
  std::string commit, tag;
  std::vector<const Decision*> steps;      // one per shown plan, in order
  std::vector<const Deployment*> running;  // the latest deployment per environment shown
  std::vector<const Defect*> defects;
  const EvidenceImage* image = nullptr;  // SecRel's claims of the image the release ships
  const RegistryCheck* check = nullptr;  // the registry's latest word on that image
};

std::string ShortDigest(const std::string& d) { return d.empty() ? "-" : d.substr(0, 19); }

std::string OrDash(const std::optional<Instant>& t, const date::time_zone* tz) {
  return t ? FormatLocal(*t, tz) : "-";
}

std::vector<const Plan*> ShownPlans(const Config& c, const ReleaseView& v, const ViewFilter& f) {
  std::vector<const Plan*> plans;
  for (const auto& p : v.plans) {
    if (f.env.empty() || StepHas(c, p.step, f.env)) plans.push_back(&p);
  }
  return plans;
}

// Rows in configuration order; `ix` indexes v.facts.
std::vector<ServiceRow> Rows(const Config& c, const ReleaseView& v, const FactsIndex& ix,
                             const std::vector<const Plan*>& plans, Instant now,
                             const ViewFilter& f) {
  Instant deadline = v.train.When(MilestoneId::kOptDeadline);
  std::vector<ServiceRow> rows;
  rows.reserve(c.services.size());
  for (size_t i = 0; i < c.services.size(); ++i) {
    const Service& s = c.services[i];
    if (!f.Shows(s.team)) continue;
    ServiceRow r{&s, OptText(EffectiveOpt(c, ix, s.name, deadline, now)), "", "", {}, {}, {}};
    for (const auto& p : v.plans) {  // decisions are in configuration order
      r.commit = p.decisions[i].commit;
      r.tag = p.decisions[i].tag;
    }
    for (const Plan* p : plans) r.steps.push_back(&p->decisions[i]);
    std::map<std::string_view, const Deployment*> latest;  // oldest first: the last one stays
    for (const Deployment* d : ix.DeploymentsOf(s.name)) {
      if (f.env.empty() || d->env == f.env) latest[d->env] = d;
    }
    for (const auto& [env, d] : latest) r.running.push_back(d);
    r.defects = ix.DefectsOf(s.name);
    if (!r.commit.empty()) r.image = FindImage(ix, s.name, r.commit);
    if (r.image) r.check = ix.LatestCheck(*r.image);
    rows.push_back(std::move(r));
  }
  return rows;
}

// SecRel's claims and the registry's facts about the image, side by side.
void ImageJson(JsonWriter& w, const ServiceRow& row) {
  w.Key("image").BeginObject().Key("secrel");
  if (const EvidenceImage* i = row.image) {
    w.BeginObject().Key("ref").String(i->ref).Key("digest").String(i->digest);
    w.Key("scan")
        .String(std::string(ScanName(i->scan)))
        .Key("signed")
        .Bool(i->is_signed)
        .Key("signed_at");
    i->signed_at ? w.String(FormatUtc(*i->signed_at)) : w.Null();
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("registry");
  if (const RegistryCheck* c = row.check) {
    w.BeginObject().Key("verdict").String(c->verdict).Key("digest").String(c->digest);
    w.Key("image_digest").String(c->image_digest).Key("revision").String(c->revision);
    w.Key("signed_at");
    c->signed_at ? w.String(FormatUtc(*c->signed_at)) : w.Null();
    w.Key("detail").String(c->detail).Key("checked_at").String(FormatUtc(c->checked_at));
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
}

// The text of ImageJson: one line per service that has an image.
void ImagesText(std::ostream& out, const std::vector<ServiceRow>& rows, const date::time_zone* tz) {
  bool any = false;
  for (const auto& row : rows) any = any || row.image;
  if (!any) return;
  out << "images: SecRel's report | the registry's latest check\n";
  out << "  " << Pad("service", 22) << Pad("scan", 11) << Pad("signed", 8) << Pad("digest", 21)
      << "| " << Pad("registry", 21) << Pad("digest", 21) << Pad("revision", 14)
      << Pad("signed", 22) << "checked\n";
  for (const auto& row : rows) {
    const EvidenceImage* i = row.image;
    if (!i) continue;
    out << "  " << Pad(row.service->name, 22) << Pad(std::string(ScanName(i->scan)), 11)
        << Pad(i->is_signed ? "yes" : "no", 8) << Pad(ShortDigest(i->digest), 21) << "| ";
    if (const RegistryCheck* c = row.check) {
      std::string digest =
          c->digest == i->digest || c->image_digest == i->digest ? "same" : ShortDigest(c->digest);
      out << Pad(c->verdict, 21) << Pad(digest, 21)
          << Pad(c->revision.empty() ? "-" : c->revision.substr(0, 12), 14)
          << Pad(OrDash(c->signed_at, tz), 22) << FormatLocal(c->checked_at, tz);
    } else {
      out << "not checked";
    }
    out << "\n";
  }
}

void DecisionJson(JsonWriter& w, const Decision& d) {
  w.BeginObject().Key("decision").String(d.deploy ? "deploy" : "skip");
  if (!d.deploy) w.Key("reason").String(d.reason).Key("detail").String(d.detail);
  w.EndObject();
}

}  // namespace

std::string PlanJson(const Plan& p, const ViewFilter& f) {
  JsonWriter w;
  w.BeginObject().Key("release").String(p.release_id).Key("tier").String(p.step);
  w.Key("candidate").String(p.candidate).Key("services").BeginArray();
  for (const auto& d : p.decisions) {
    if (!f.Shows(d.team)) continue;
    w.BeginObject().Key("service").String(d.service).Key("team").String(d.team);
    w.Key("decision").String(d.deploy ? "deploy" : "skip").Key("reason");
    d.deploy ? w.Null() : w.String(d.reason);
    w.Key("detail").String(d.detail).Key("commit").String(d.commit).Key("tag").String(d.tag);
    w.Key("ref").String(d.ref).Key("environments").BeginArray();
    for (const auto& e : d.environments) w.String(e);
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return w.str();
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
    for (const Decision* d : it->second) {
      out << "  " << Pad(d->service, 22) << (d->deploy ? "deploy " : "skip   ")
          << Pad(d->deploy ? d->tag : d->reason, 19);
      if (d->deploy) {
        std::string envs;
        for (const auto& e : d->environments) envs += (envs.empty() ? "" : ",") + e;
        out << "-> " << envs;
        if (!d->detail.empty()) out << "  (" << d->detail << ")";
      } else {
        out << d->detail;
      }
      out << "\n";
    }
  }
  return out.str();
}

std::string ReleaseViewJson(const Config& c, const ReleaseView& v, Instant now,
                            const ViewFilter& f) {
  FactsIndex ix(v.facts);
  auto plans = ShownPlans(c, v, f);
  JsonWriter w;
  w.BeginObject();
  const Release& r = v.release;
  w.Key("id").String(r.id).Key("kind").String(KindName(r.kind));
  w.Key("release_day").String(FormatDate(r.release_day)).Key("state").String(StateName(r.state));
  w.Key("candidate_commit").String(r.candidate_commit).Key("created_by").String(r.created_by);
  w.Key("created_at").String(FormatUtc(r.created_at));
  if (r.kind != ReleaseKind::kStandard) {
    w.Key("requested_services").BeginArray();
    for (const auto& s : r.requested_services) w.String(s);
    w.EndArray().Key("changelog").String(r.changelog).Key("approved").Bool(r.approved);
    w.Key("scheduled_at");
    r.scheduled_at ? w.String(FormatUtc(*r.scheduled_at)) : w.Null();
  }
  w.Key("milestones").BeginObject();
  for (MilestoneId id : kAllMilestones)
    w.Key(MilestoneName(id)).String(FormatUtc(v.train.When(id)));
  w.EndObject().Key("services").BeginArray();
  for (const auto& row : Rows(c, v, ix, plans, now, f)) {
    w.BeginObject().Key("service").String(row.service->name).Key("team").String(row.service->team);
    w.Key("opt").String(row.opt).Key("commit").String(row.commit).Key("tag").String(row.tag);
    w.Key("eligibility").BeginObject();
    for (size_t k = 0; k < plans.size(); ++k) {
      w.Key(plans[k]->step);
      DecisionJson(w, *row.steps[k]);
    }
    w.EndObject().Key("environments").BeginObject();
    for (const Deployment* d : row.running) {
      w.Key(d->env).BeginObject().Key("tag").String(d->new_tag);
      w.Key("at").String(FormatUtc(d->at)).Key("gitops_commit").String(d->gitops_commit);
      w.Key("rollback").Bool(d->rollback).Key("healthy");
      const HealthRecord* health = nullptr;  // the latest report since this deployment
      for (const HealthRecord* h : ix.HealthOf(d->service, d->env)) {
        if (h->at >= d->at) health = h;
      }
      health ? w.Bool(health->healthy) : w.Null();
      w.EndObject();
    }
    w.EndObject().Key("defects").BeginArray();
    for (const Defect* d : row.defects) {
      w.BeginObject().Key("id").Int(d->id).Key("title").String(d->title);
      w.Key("open").Bool(d->open()).EndObject();
    }
    w.EndArray();
    ImageJson(w, row);
    w.EndObject();
  }
  w.EndArray().Key("opts").BeginArray();
  for (const auto& o : v.facts.opts) {
    w.BeginObject().Key("team").String(o.team).Key("service").String(o.service);
    w.Key("answer").String(o.answer == OptAnswer::kIn ? "in" : "out").Key("by").String(o.by);
    w.Key("at").String(FormatUtc(o.at)).EndObject();
  }
  w.EndArray().Key("signoffs").BeginArray();
  for (const auto& s : v.facts.signoffs) {
    w.BeginObject().Key("team").String(s.team).Key("env").String(s.env).Key("by").String(s.by);
    w.Key("at").String(FormatUtc(s.at)).EndObject();
  }
  w.EndArray().Key("notes").BeginArray();
  for (const auto& n : v.facts.notes) {
    w.BeginObject().Key("category").String(n.category).Key("text").String(n.text);
    w.Key("by").String(n.by).EndObject();
  }
  w.EndArray().EndObject();
  return w.str();
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
  FactsIndex ix(v.facts);
  auto plans = ShownPlans(c, v, f);
  auto rows = Rows(c, v, ix, plans, now, f);
  // Grouped by team in configuration order, whatever order the services are listed in.
  for (const auto& t : c.teams) {
    bool header = false;
    for (const auto& row : rows) {
      if (row.service->team != t.name) continue;
      if (!header) {
        header = true;
        out << "team " << t.name << "\n";
        out << "  " << Pad("service", 22) << Pad("opt", 12) << Pad("tag", 9);
        for (const Plan* p : plans) out << Pad(p->step, 18);
        out << "deployed\n";
      }
      out << "  " << Pad(row.service->name, 22) << Pad(row.opt, 12) << Pad(row.tag, 9);
      for (const Decision* d : row.steps) out << Pad(d->deploy ? "deploy" : d->reason, 18);
      std::string envs;
      for (const Deployment* d : row.running) {
        envs += (envs.empty() ? "" : " ") + d->env + "=" + d->new_tag;
      }
      out << (envs.empty() ? "-" : envs) << "\n";
      for (const Defect* d : row.defects) {
        out << "    defect #" << d->id << (d->open() ? " (open): " : " (resolved): ") << d->title
            << "\n";
      }
    }
  }
  for (const auto& s : v.facts.signoffs) {
    out << "  signed off: " << s.team << " in " << s.env << " by " << s.by << " at "
        << FormatLocal(s.at, tz) << "\n";
  }
  for (const auto& n : v.facts.notes) out << "  note [" << n.category << "] " << n.text << "\n";
  ImagesText(out, rows, tz);
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

std::string SignaturesJson(const std::vector<SignatureAge>& ages) {
  JsonWriter w;
  w.BeginObject().Key("signatures").BeginArray();
  for (const auto& a : ages) {
    w.BeginObject().Key("service").String(a.service).Key("env").String(a.env);
    w.Key("tag").String(a.tag).Key("signed_at");
    a.signed_at ? w.String(FormatUtc(*a.signed_at)) : w.Null();
    w.Key("expires_at");
    a.expires_at ? w.String(FormatUtc(*a.expires_at)) : w.Null();
    w.Key("days_left");
    a.signed_at ? w.Int(a.days_left) : w.Null();
    w.Key("status")
        .String(SignatureStatusName(a.status))
        .Key("must_ship_in")
        .StringOrNull(a.must_ship_in);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.str();
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
