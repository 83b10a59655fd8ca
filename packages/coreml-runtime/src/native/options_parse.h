// Portable parsing of the session options object. One type-checked block per option; a
// wrong JS type is a TypeError, a value outside the allowed set a RangeError, and every
// message names the path ("options.computeUnits …"). Unknown keys are refused so a typo
// cannot silently fall back to a default.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace eou {

/** Raw values of MLComputeUnits (asserted against the SDK enum in coreml_session.mm). */
enum class ComputeUnits : int32_t { kCpuOnly = 0, kCpuAndGpu = 1, kAll = 2, kCpuAndNeuralEngine = 3 };

struct ComputeUnitsName {
  const char* name;
  ComputeUnits value;
};

inline constexpr ComputeUnitsName kComputeUnitsNames[] = {
    {"cpuOnly", ComputeUnits::kCpuOnly},
    {"cpuAndGPU", ComputeUnits::kCpuAndGpu},
    {"cpuAndNeuralEngine", ComputeUnits::kCpuAndNeuralEngine},
    {"all", ComputeUnits::kAll},
};
static_assert(sizeof(kComputeUnitsNames) / sizeof(kComputeUnitsNames[0]) == 4, "one name per MLComputeUnits value");

const char* ComputeUnitsToName(ComputeUnits units);

/** Parsed options with their defaults. */
struct SessionOptions {
  ComputeUnits computeUnits = ComputeUnits::kAll;
  /** MLModelConfiguration.allowLowPrecisionAccumulationOnGPU. */
  bool allowLowPrecisionAccumulationOnGPU = false;
  /** Pass preallocated outputs to CoreML as MLPredictionOptions.outputBackings. */
  bool useOutputBackings = true;
  /** MLModelConfiguration.functionName (multi-function models, macOS 15); empty = default. */
  std::string functionName;
};

/**
 * Parses `value` (undefined/null = defaults) into `out`. Returns false with a pending JS
 * exception on a bad value; `path` is the argument name used in messages ("options").
 */
bool ParseSessionOptions(Napi::Env env, const Napi::Value& value, const std::string& path, SessionOptions* out);

/** The normalised options as a plain JS object (all keys present). */
Napi::Object SessionOptionsToJs(Napi::Env env, const SessionOptions& options);

/** [sync] parseSessionOptions(options?: object) -> normalised options; throws TypeError/RangeError. */
Napi::Value ParseSessionOptionsJs(const Napi::CallbackInfo& info);

}  // namespace eou
