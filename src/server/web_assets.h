// The dashboard's static files (web/), built into captain so that `captain serve` needs no
// second server and nothing is fetched from the internet at run time.
#pragma once

#include <string_view>
#include <vector>

namespace captain {

struct WebAsset {
  std::string_view name;  // "index.html", "app.js"
  std::string_view body;
};

const std::vector<WebAsset>& WebAssets();

// The content type of a file by its extension.
std::string_view ContentTypeOf(std::string_view name);

}  // namespace captain
