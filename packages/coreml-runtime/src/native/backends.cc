// Backend list; see backends.h.
#include "backends.h"

namespace eou {

std::vector<std::string> CompiledBackends() {
  std::vector<std::string> names{"portable"};
#ifdef __APPLE__
  names.emplace_back("coreml");
#endif
  return names;
}

Napi::Value ListBackendsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::vector<std::string> names = CompiledBackends();
  Napi::Array out = Napi::Array::New(env, names.size());
  for (uint32_t i = 0; i < names.size(); ++i) out.Set(i, names[i]);
  return out;
}

}  // namespace eou
