// Which execution backends this build of the addon contains. "portable" (conversions, option
// parsing) is always there; "coreml" only in darwin builds, where coreml_session.mm is compiled.
#pragma once

#include <napi.h>

#include <string>
#include <vector>

namespace eou {

/** Backend names compiled into this addon, in a fixed order. */
std::vector<std::string> CompiledBackends();

/** [sync] listBackends() -> string[]. */
Napi::Value ListBackendsJs(const Napi::CallbackInfo& info);

}  // namespace eou
