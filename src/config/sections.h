// The readers of captain.yaml's sections; each reports into Fields and fills Config.
#pragma once

#include "config/config.h"
#include "config/fields.h"

namespace captain {

void ReadCalendarSections(Fields& f, fy_node* root, Config& c);
void ReadCatalogSections(Fields& f, fy_node* root, Config& c);
// `server:` (read after the teams, which token roles name).
void ReadServerSection(Fields& f, fy_node* root, Config& c);

}  // namespace captain
