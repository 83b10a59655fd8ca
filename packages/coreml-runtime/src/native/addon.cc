// Module init only: registers the portable functions everywhere and the CoreML session class
// on darwin. Each concern lives in its own .h/.cc pair.
#include <napi.h>

#include "backends.h"
#include "options_parse.h"
#include "tensor_convert.h"
#ifdef __APPLE__
#include "coreml_session.h"
#endif

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("halfToFloat", Napi::Function::New(env, eou::HalfToFloatJs, "halfToFloat"));
  exports.Set("floatToHalf", Napi::Function::New(env, eou::FloatToHalfJs, "floatToHalf"));
  exports.Set("stridedToDense", Napi::Function::New(env, eou::StridedToDenseJs, "stridedToDense"));
  exports.Set("denseToStrided", Napi::Function::New(env, eou::DenseToStridedJs, "denseToStrided"));
  exports.Set("checkTensor", Napi::Function::New(env, eou::CheckTensorJs, "checkTensor"));
  exports.Set("parseSessionOptions", Napi::Function::New(env, eou::ParseSessionOptionsJs, "parseSessionOptions"));
  exports.Set("listBackends", Napi::Function::New(env, eou::ListBackendsJs, "listBackends"));
#ifdef __APPLE__
  eou::CoreMLSessionWrap::Init(env, exports);
#endif
  return exports;
}

}  // namespace

NODE_API_MODULE(coreml_runtime, Init)
