// The console's pages (web/), compiled into caseledgerd at build time (tools/embed_web.py), so
// that the server reads nothing from disk to serve them and no page loads anything from the
// network.
#ifndef CASELEDGER_SERVER_WEB_ASSETS_H_
#define CASELEDGER_SERVER_WEB_ASSETS_H_

#include <string_view>
#include <vector>

namespace caseledger::server {

struct WebAsset {
  const char* path;          // "/index.html"
  const char* content_type;  // "text/html; charset=utf-8"
  std::string_view bytes;
};

// Every file of web/, by name.
const std::vector<WebAsset>& WebAssets();

}  // namespace caseledger::server

#endif  // CASELEDGER_SERVER_WEB_ASSETS_H_
