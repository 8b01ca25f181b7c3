// iCalendar (RFC 5545) feed of release milestones, via libical.
#pragma once

#include <string>
#include <vector>

#include "core/calendar.h"

namespace captain {

// One VEVENT per milestone, with a VTIMEZONE for the policy zone (UTC times if libical does
// not know the zone). UIDs are stable: the same milestone of the same train always has the
// same UID. `stamp` is the DTSTAMP.
std::string RenderIcs(const std::vector<Train>& trains, const std::string& timezone, Instant stamp);

}  // namespace captain
