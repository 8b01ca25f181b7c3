// The OpenAPI document and the route table list the same routes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "server/api.h"
#include "server/routes.h"

namespace captain {
namespace {

TEST(OpenApi, DocumentsExactlyTheRegisteredRoutes) {
  auto doc = nlohmann::json::parse(OpenApiDocument());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::string> documented, registered, ids;
  for (const auto& [path, methods] : doc["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      std::string upper;
      for (char ch : method) upper += static_cast<char>(std::toupper(ch));
      documented.insert(upper + " " + path);
      ASSERT_TRUE(op.contains("operationId")) << path;
      EXPECT_TRUE(ids.insert(op["operationId"].get<std::string>()).second) << path;
    }
  }
  for (const auto& r : Routes()) {
    registered.insert(std::string(r.method) + " " + r.path);
    auto op = doc["paths"][r.path][std::string(r.method) == "GET" ? "get" : "post"];
    EXPECT_EQ(op.value("operationId", ""), r.name) << r.path;
  }
  for (const auto& d : documented) EXPECT_EQ(registered.count(d), 1u) << "not registered: " << d;
  for (const auto& r : registered) EXPECT_EQ(documented.count(r), 1u) << "not documented: " << r;
}

}  // namespace
}  // namespace captain
