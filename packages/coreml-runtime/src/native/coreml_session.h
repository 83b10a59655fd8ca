// The CoreML session (darwin only): an ObjectWrap that loads a compiled `.mlmodelc` (or compiles
// an `.mlpackage` / `.mlmodel` first), exposes the model description as TensorInfo lists, and runs
// synchronous predictions. Objective-C objects live behind an opaque state pointer so this
// header stays plain C++ for addon.cc.
#pragma once

#ifdef __APPLE__

#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "options_parse.h"
#include "tensor_convert.h"

namespace eou {

struct CoreMLSessionState;  // MLModel and friends, defined in coreml_session.mm

class CoreMLSessionWrap : public Napi::ObjectWrap<CoreMLSessionWrap> {
 public:
  /** Adds the `CoreMLSession` class to `exports`. */
  static void Init(Napi::Env env, Napi::Object exports);

  /**
   * [sync] new CoreMLSession(path: string, options?: object). Compiles `.mlpackage`/`.mlmodel`
   * to a temporary `.mlmodelc` (removed on close), loads it with the parsed options.
   * Throws TypeError/RangeError for bad arguments, Error when CoreML refuses the model.
   */
  explicit CoreMLSessionWrap(const Napi::CallbackInfo& info);
  ~CoreMLSessionWrap() override;

 private:
  /** [sync] getter `inputs`: {name, dtype, shape}[] sorted by name. */
  Napi::Value GetInputs(const Napi::CallbackInfo& info);
  /** [sync] getter `outputs`: {name, dtype, shape}[] sorted by name. */
  Napi::Value GetOutputs(const Napi::CallbackInfo& info);
  /**
   * [sync] run(feeds: Record<string, Tensor>, outputs?: Record<string, Tensor>) -> Record<string, Tensor>.
   * Every declared input must be fed with its declared dtype; dims must match fixed dims. With
   * `outputs`, those tensors are filled in place (as MLPredictionOptions.outputBackings when
   * enabled, else by copy) and returned; without, every declared output is returned in new
   * typed arrays. MLMultiArray strides are honoured both ways.
   */
  Napi::Value Run(const Napi::CallbackInfo& info);
  /** [sync] close(): releases the model and removes a temporary compiled model. Idempotent. */
  Napi::Value Close(const Napi::CallbackInfo& info);

  void Release();

  std::string path_;
  SessionOptions options_;
  std::vector<TensorInfo> inputs_;
  std::vector<TensorInfo> outputs_;
  std::unique_ptr<CoreMLSessionState> state_;
};

}  // namespace eou

#endif  // __APPLE__
