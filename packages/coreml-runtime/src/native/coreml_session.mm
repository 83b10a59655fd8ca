// CoreML session (darwin only, Objective-C++ with ARC). Each entry point wraps its Objective-C
// work in @autoreleasepool, validates every JS argument before touching CoreML, and reports
// failures as pending JS exceptions (the addon is built without C++ exceptions). Tensor data
// crosses through the portable helpers in tensor_convert.h, so the copy and fp16 logic is the
// one the Linux tests cover; only the MLModel/MLMultiArray calls are macOS-specific.
#ifdef __APPLE__

#import <CoreML/CoreML.h>
#import <Foundation/Foundation.h>

#include "coreml_session.h"

#include <string>
#include <vector>

#include "errors.h"

#if !__has_feature(objc_arc)
#error "coreml_session.mm must be compiled with -fobjc-arc (binding.gyp: CLANG_ENABLE_OBJC_ARC)"
#endif

namespace eou {

// The portable enums and tables carry CoreML's raw values; tie them to the SDK here.
static_assert(static_cast<NSInteger>(ComputeUnits::kCpuOnly) == MLComputeUnitsCPUOnly, "MLComputeUnitsCPUOnly");
static_assert(static_cast<NSInteger>(ComputeUnits::kCpuAndGpu) == MLComputeUnitsCPUAndGPU, "MLComputeUnitsCPUAndGPU");
static_assert(static_cast<NSInteger>(ComputeUnits::kAll) == MLComputeUnitsAll, "MLComputeUnitsAll");
static_assert(static_cast<NSInteger>(InfoOf(DType::kFloat32).mlMultiArrayType) == MLMultiArrayDataTypeFloat32, "Float32 code");
static_assert(static_cast<NSInteger>(InfoOf(DType::kInt32).mlMultiArrayType) == MLMultiArrayDataTypeInt32, "Int32 code");
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunguarded-availability-new"
#if defined(__MAC_13_0) && __MAC_OS_X_VERSION_MAX_ALLOWED >= __MAC_13_0
static_assert(static_cast<NSInteger>(ComputeUnits::kCpuAndNeuralEngine) == MLComputeUnitsCPUAndNeuralEngine,
              "MLComputeUnitsCPUAndNeuralEngine");
#endif
#if defined(__MAC_12_0) && __MAC_OS_X_VERSION_MAX_ALLOWED >= __MAC_12_0
static_assert(static_cast<NSInteger>(InfoOf(DType::kFloat16).mlMultiArrayType) == MLMultiArrayDataTypeFloat16, "Float16 code");
#endif
#pragma clang diagnostic pop

struct CoreMLSessionState {
  MLModel* model = nil;        // strong (ARC); nil once closed
  NSURL* compiledURL = nil;    // temporary .mlmodelc we compiled and must remove
};

namespace {

std::string Utf8(NSString* s) { return s == nil ? std::string() : std::string([s UTF8String]); }

std::string Describe(NSError* error) {
  if (error == nil) return "unknown CoreML error";
  return Utf8(error.localizedDescription);
}

void RemoveCompiled(CoreMLSessionState* state) {
  if (state->compiledURL != nil) {
    [[NSFileManager defaultManager] removeItemAtURL:state->compiledURL error:nil];
    state->compiledURL = nil;
  }
}

std::vector<int64_t> ToVector(NSArray<NSNumber*>* numbers) {
  std::vector<int64_t> out;
  out.reserve(numbers.count);
  for (NSNumber* n in numbers) out.push_back(n.longLongValue);
  return out;
}

NSArray<NSNumber*>* ToNSArray(const std::vector<int64_t>& values) {
  NSMutableArray<NSNumber*>* out = [NSMutableArray arrayWithCapacity:values.size()];
  for (int64_t v : values) [out addObject:@(v)];
  return out;
}

std::vector<int64_t> DenseStrides(const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
  return strides;
}

// Runs `handler` over the array's bytes for reading. getBytesWithHandler: (macOS 12.3) calls
// the block synchronously; older systems only have the deprecated dataPointer.
void WithBytes(MLMultiArray* array, void (^handler)(const void* bytes, NSInteger size)) {
  if (@available(macOS 12.3, *)) {
    [array getBytesWithHandler:^(const void* bytes, NSInteger size) { handler(bytes, size); }];
  } else {
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
    NSInteger count = array.count;
    NSInteger elem = array.dataType & 0xFF;  // low byte of MLMultiArrayDataType = bits per element
    NSInteger maxOffset = 0;
    for (NSUInteger i = 0; i < array.shape.count; ++i) {
      maxOffset += (array.shape[i].longLongValue - 1) * array.strides[i].longLongValue;
    }
    handler(array.dataPointer, count == 0 ? 0 : (maxOffset + 1) * (elem / 8));
#pragma clang diagnostic pop
  }
}

// Same for writing (getMutableBytesWithHandler: also reports the strides of the storage).
void WithMutableBytes(MLMultiArray* array, void (^handler)(void* bytes, NSInteger size)) {
  if (@available(macOS 12.3, *)) {
    [array getMutableBytesWithHandler:^(void* bytes, NSInteger size, NSArray<NSNumber*>* strides) {
      (void)strides;  // equal to array.strides, which the caller already uses
      handler(bytes, size);
    }];
  } else {
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
    NSInteger elem = array.dataType & 0xFF;
    NSInteger maxOffset = 0;
    for (NSUInteger i = 0; i < array.shape.count; ++i) {
      maxOffset += (array.shape[i].longLongValue - 1) * array.strides[i].longLongValue;
    }
    handler(array.dataPointer, array.count == 0 ? 0 : (maxOffset + 1) * (elem / 8));
#pragma clang diagnostic pop
  }
}

// Reads a model description dictionary into sorted TensorInfo rows; false with `error` set
// when a feature is not a multi-array of a dtype we exchange.
bool ReadFeatures(NSDictionary<NSString*, MLFeatureDescription*>* features, const char* kind,
                  std::vector<TensorInfo>* out, std::string* error) {
  NSArray<NSString*>* names = [features.allKeys sortedArrayUsingSelector:@selector(compare:)];
  for (NSString* name in names) {
    MLFeatureDescription* fd = features[name];
    if (fd.type != MLFeatureTypeMultiArray) {
      *error = std::string(kind) + " '" + Utf8(name) + "' has CoreML feature type " +
               std::to_string(static_cast<long>(fd.type)) + "; only multi-arrays are supported";
      return false;
    }
    MLMultiArrayConstraint* constraint = fd.multiArrayConstraint;
    TensorInfo info;
    info.name = Utf8(name);
    if (!DTypeFromMLMultiArrayType(static_cast<uint32_t>(constraint.dataType), &info.dtype)) {
      *error = std::string(kind) + " '" + info.name + "' has MLMultiArrayDataType 0x" +
               [[NSString stringWithFormat:@"%lx", static_cast<long>(constraint.dataType)] UTF8String] +
               "; expected Float32, Float16 or Int32";
      return false;
    }
    info.shape = ToVector(constraint.shape);
    MLMultiArrayShapeConstraint* flex = constraint.shapeConstraint;
    if (flex.type == MLMultiArrayShapeConstraintTypeRange) {
      NSArray<NSValue*>* ranges = flex.sizeRangeForDimension;
      for (NSUInteger i = 0; i < ranges.count && i < info.shape.size(); ++i) {
        if (ranges[i].rangeValue.length > 0) info.shape[i] = -1;
      }
    } else if (flex.type == MLMultiArrayShapeConstraintTypeEnumerated) {
      for (NSArray<NSNumber*>* shape in flex.enumeratedShapes) {
        for (NSUInteger i = 0; i < shape.count && i < info.shape.size(); ++i) {
          if (shape[i].longLongValue != info.shape[i]) info.shape[i] = -1;
        }
      }
    }
    out->push_back(std::move(info));
  }
  return true;
}

// Copies a (possibly strided, possibly other-precision) MLMultiArray into dense `dst` of
// `dstType`. Returns a non-ok Status naming `what` when shapes or dtypes cannot be reconciled.
Status CopyOut(MLMultiArray* array, const std::string& what, DType dstType, uint8_t* dst, size_t dstCount) {
  DType srcType;
  if (!DTypeFromMLMultiArrayType(static_cast<uint32_t>(array.dataType), &srcType)) {
    return Status::Runtime(what + ": CoreML returned an unsupported MLMultiArrayDataType");
  }
  StridedLayout layout;
  layout.shape = ToVector(array.shape);
  layout.strides = ToVector(array.strides);
  const size_t elemBytes = InfoOf(srcType).bytes;
  __block Status status;
  __block std::vector<uint8_t> staging;
  const bool convert = srcType != dstType;
  if (convert && !((srcType == DType::kFloat16 && dstType == DType::kFloat32) ||
                   (srcType == DType::kFloat32 && dstType == DType::kFloat16))) {
    return Status::Runtime(what + ": CoreML returned " + InfoOf(srcType).name + " for a declared " +
                           InfoOf(dstType).name + " output");
  }
  WithBytes(array, ^(const void* bytes, NSInteger size) {
    size_t count = 0;
    status = CheckStridedLayout(layout, static_cast<size_t>(size) / elemBytes, "the CoreML output buffer", &count);
    if (!status.ok()) {
      status = Status::Runtime(what + ": " + status.message);
      return;
    }
    if (count != dstCount) {
      status = Status::Runtime(what + ": CoreML returned " + std::to_string(count) + " elements, expected " +
                               std::to_string(dstCount));
      return;
    }
    if (count == 0) return;
    // A result array that shares the caller's backing memory (dense, same dtype) is already in place.
    if (!convert && bytes == dst) return;
    if (!convert) {
      CopyStridedToDense(bytes, elemBytes, layout, dst);
      return;
    }
    staging.resize(count * elemBytes);
    CopyStridedToDense(bytes, elemBytes, layout, staging.data());
    if (srcType == DType::kFloat16) {
      HalfToFloatN(reinterpret_cast<const uint16_t*>(staging.data()), reinterpret_cast<float*>(dst), count);
    } else {
      FloatToHalfN(reinterpret_cast<const float*>(staging.data()), reinterpret_cast<uint16_t*>(dst), count);
    }
  });
  return status;
}

}  // namespace

void CoreMLSessionWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "CoreMLSession",
                                    {
                                        InstanceAccessor<&CoreMLSessionWrap::GetInputs>("inputs"),
                                        InstanceAccessor<&CoreMLSessionWrap::GetOutputs>("outputs"),
                                        InstanceMethod<&CoreMLSessionWrap::Run>("run"),
                                        InstanceMethod<&CoreMLSessionWrap::Close>("close"),
                                    });
  exports.Set("CoreMLSession", ctor);
}

CoreMLSessionWrap::CoreMLSessionWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<CoreMLSessionWrap>(info), state_(std::make_unique<CoreMLSessionState>()) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) {
    ThrowTypeError(env, std::string("CoreMLSession: path must be a string, got ") + JsTypeName(info[0]));
    return;
  }
  path_ = info[0].As<Napi::String>().Utf8Value();
  if (path_.empty()) {
    ThrowRangeError(env, "CoreMLSession: path must not be empty");
    return;
  }
  if (!ParseSessionOptions(env, info[1], "options", &options_)) return;

  @autoreleasepool {
    NSURL* url = [NSURL fileURLWithPath:[NSString stringWithUTF8String:path_.c_str()]];
    NSString* ext = url.pathExtension.lowercaseString;
    NSURL* compiled = url;
    NSError* error = nil;
    if ([ext isEqualToString:@"mlpackage"] || [ext isEqualToString:@"mlmodel"]) {
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
      compiled = [MLModel compileModelAtURL:url error:&error];  // deprecated in favour of the async form
#pragma clang diagnostic pop
      if (compiled == nil) {
        ThrowError(env, "CoreMLSession: cannot compile '" + path_ + "': " + Describe(error));
        return;
      }
      state_->compiledURL = compiled;
    } else if (![ext isEqualToString:@"mlmodelc"]) {
      ThrowRangeError(env, "CoreMLSession: path must end in .mlmodelc, .mlpackage or .mlmodel, got '" + path_ + "'");
      return;
    }

    MLModelConfiguration* config = [[MLModelConfiguration alloc] init];
    if (options_.computeUnits == ComputeUnits::kCpuAndNeuralEngine) {
      if (@available(macOS 13.0, *)) {
        config.computeUnits = static_cast<MLComputeUnits>(options_.computeUnits);
      } else {
        RemoveCompiled(state_.get());
        ThrowRangeError(env, "options.computeUnits 'cpuAndNeuralEngine' needs macOS 13 or later");
        return;
      }
    } else {
      config.computeUnits = static_cast<MLComputeUnits>(options_.computeUnits);
    }
    config.allowLowPrecisionAccumulationOnGPU = options_.allowLowPrecisionAccumulationOnGPU;
    if (!options_.functionName.empty()) {
#if defined(__MAC_15_0) && __MAC_OS_X_VERSION_MAX_ALLOWED >= __MAC_15_0
      if (@available(macOS 15.0, *)) {
        config.functionName = [NSString stringWithUTF8String:options_.functionName.c_str()];
      } else {
        RemoveCompiled(state_.get());
        ThrowRangeError(env, "options.functionName needs macOS 15 or later");
        return;
      }
#else
      RemoveCompiled(state_.get());
      ThrowRangeError(env, "options.functionName needs an addon built with the macOS 15 SDK");
      return;
#endif
    }

    MLModel* model = [MLModel modelWithContentsOfURL:compiled configuration:config error:&error];
    if (model == nil) {
      RemoveCompiled(state_.get());
      ThrowError(env, "CoreMLSession: cannot load '" + path_ + "': " + Describe(error));
      return;
    }
    std::string message;
    if (!ReadFeatures(model.modelDescription.inputDescriptionsByName, "input", &inputs_, &message) ||
        !ReadFeatures(model.modelDescription.outputDescriptionsByName, "output", &outputs_, &message)) {
      RemoveCompiled(state_.get());
      ThrowError(env, "CoreMLSession: '" + path_ + "': " + message);
      return;
    }
    state_->model = model;
  }
}

CoreMLSessionWrap::~CoreMLSessionWrap() { Release(); }

void CoreMLSessionWrap::Release() {
  if (!state_) return;
  @autoreleasepool {
    state_->model = nil;
    RemoveCompiled(state_.get());
  }
}

Napi::Value CoreMLSessionWrap::GetInputs(const Napi::CallbackInfo& info) { return InfoToJs(info.Env(), inputs_); }

Napi::Value CoreMLSessionWrap::GetOutputs(const Napi::CallbackInfo& info) { return InfoToJs(info.Env(), outputs_); }

Napi::Value CoreMLSessionWrap::Close(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

Napi::Value CoreMLSessionWrap::Run(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (state_->model == nil) {
    ThrowError(env, "CoreMLSession.run: the session for '" + path_ + "' is closed");
    return env.Undefined();
  }
  Napi::Value feedsValue = info[0];
  if (!feedsValue.IsObject() || feedsValue.IsArray()) {
    EOU_THROW_TYPE(env, std::string("CoreMLSession.run: feeds must be an object of tensors, got ") + JsTypeName(feedsValue));
  }
  Napi::Object feeds = feedsValue.As<Napi::Object>();
  Napi::Value outputsValue = info[1];
  const bool haveOutputs = !outputsValue.IsUndefined();
  if (haveOutputs && (!outputsValue.IsObject() || outputsValue.IsArray())) {
    EOU_THROW_TYPE(env, std::string("CoreMLSession.run: outputs must be an object of tensors, got ") +
                            JsTypeName(outputsValue));
  }

  // Names the caller passed that the model does not declare are mistakes, not extras to ignore.
  Napi::Array feedNames = feeds.GetPropertyNames();
  EOU_RETURN_IF_PENDING(env);
  for (uint32_t i = 0; i < feedNames.Length(); ++i) {
    const std::string name = feedNames.Get(i).ToString().Utf8Value();
    bool declared = false;
    for (const TensorInfo& input : inputs_) declared = declared || input.name == name;
    if (!declared) EOU_THROW_TYPE(env, "CoreMLSession.run: feeds." + name + " is not an input of '" + path_ + "'");
  }

  std::vector<std::pair<const TensorInfo*, TensorView>> targets;  // preallocated outputs
  if (haveOutputs) {
    Napi::Object outs = outputsValue.As<Napi::Object>();
    Napi::Array outNames = outs.GetPropertyNames();
    EOU_RETURN_IF_PENDING(env);
    for (uint32_t i = 0; i < outNames.Length(); ++i) {
      const std::string name = outNames.Get(i).ToString().Utf8Value();
      const TensorInfo* declared = nullptr;
      for (const TensorInfo& output : outputs_) {
        if (output.name == name) declared = &output;
      }
      if (declared == nullptr) {
        EOU_THROW_TYPE(env, "CoreMLSession.run: outputs." + name + " is not an output of '" + path_ + "'");
      }
      TensorView view;
      if (!ReadTensor(env, outs.Get(name), "CoreMLSession.run: outputs." + name, *declared, &view)) return env.Undefined();
      targets.emplace_back(declared, std::move(view));
    }
  }

  @autoreleasepool {
    NSMutableDictionary<NSString*, MLFeatureValue*>* inputs = [NSMutableDictionary dictionary];
    for (const TensorInfo& input : inputs_) {
      const std::string path = "feeds." + input.name;
      Napi::Value t = feeds.Get(input.name);
      EOU_RETURN_IF_PENDING(env);
      if (t.IsUndefined()) EOU_THROW_TYPE(env, "CoreMLSession.run: " + path + " is missing (declared input of '" + path_ + "')");
      TensorView view;
      if (!ReadTensor(env, t, "CoreMLSession.run: " + path, input, &view)) return env.Undefined();

      // Copy into an array CoreML owns: it may keep inputs beyond this call, JS memory may move on.
      NSError* error = nil;
      MLMultiArray* array = [[MLMultiArray alloc] initWithShape:ToNSArray(view.dims)
                                                       dataType:static_cast<MLMultiArrayDataType>(InfoOf(input.dtype).mlMultiArrayType)
                                                          error:&error];
      if (array == nil) EOU_THROW_STATUS(env, Status::Runtime("CoreMLSession.run: " + path + ": " + Describe(error)));
      StridedLayout layout;
      layout.shape = view.dims;
      layout.strides = ToVector(array.strides);
      const size_t elemBytes = InfoOf(input.dtype).bytes;
      const uint8_t* src = view.data;
      __block Status status;
      WithMutableBytes(array, ^(void* bytes, NSInteger size) {
        size_t count = 0;
        status = CheckStridedLayout(layout, static_cast<size_t>(size) / elemBytes, "the MLMultiArray", &count);
        if (status.ok() && count > 0) CopyDenseToStrided(src, elemBytes, layout, bytes);
      });
      if (!status.ok()) EOU_THROW_STATUS(env, Status::Runtime("CoreMLSession.run: " + path + ": " + status.message));
      inputs[[NSString stringWithUTF8String:input.name.c_str()]] = [MLFeatureValue featureValueWithMultiArray:array];
    }

    NSError* error = nil;
    MLDictionaryFeatureProvider* provider = [[MLDictionaryFeatureProvider alloc] initWithDictionary:inputs error:&error];
    if (provider == nil) EOU_THROW_STATUS(env, Status::Runtime("CoreMLSession.run: '" + path_ + "': " + Describe(error)));

    MLPredictionOptions* predictionOptions = [[MLPredictionOptions alloc] init];
    NSMutableDictionary<NSString*, MLMultiArray*>* backings = [NSMutableDictionary dictionary];
    if (haveOutputs && options_.useOutputBackings) {
      for (auto& target : targets) {
        const TensorInfo& output = *target.first;
        if (target.second.count == 0) continue;  // nothing to back
        // Wraps JS memory without copying; the block deallocator does nothing because JS owns it,
        // and the typed array stays reachable (the caller's outputs object) for this sync call.
        MLMultiArray* backing = [[MLMultiArray alloc]
            initWithDataPointer:target.second.data
                          shape:ToNSArray(target.second.dims)
                       dataType:static_cast<MLMultiArrayDataType>(InfoOf(output.dtype).mlMultiArrayType)
                        strides:ToNSArray(DenseStrides(target.second.dims))
                    deallocator:^(void* /* bytes: owned by JS */) {
                    }
                          error:&error];
        if (backing != nil) backings[[NSString stringWithUTF8String:output.name.c_str()]] = backing;
      }
      if (backings.count > 0) {
        if (@available(macOS 11.0, *)) predictionOptions.outputBackings = backings;
      }
    }

    id<MLFeatureProvider> result = nil;
#if __has_feature(objc_exceptions)
    @try {
      result = [state_->model predictionFromFeatures:provider options:predictionOptions error:&error];
    } @catch (NSException* e) {
      EOU_THROW_STATUS(env, Status::Runtime("CoreMLSession.run: prediction on '" + path_ + "' raised " +
                                            Utf8(e.name) + ": " + Utf8(e.reason)));
    }
#else
    result = [state_->model predictionFromFeatures:provider options:predictionOptions error:&error];
#endif
    if (result == nil) {
      EOU_THROW_STATUS(env, Status::Runtime("CoreMLSession.run: prediction on '" + path_ + "' failed: " + Describe(error)));
    }

    Napi::Object returned = Napi::Object::New(env);
    if (haveOutputs) {
      for (auto& target : targets) {
        const TensorInfo& output = *target.first;
        NSString* name = [NSString stringWithUTF8String:output.name.c_str()];
        MLMultiArray* array = [result featureValueForName:name].multiArrayValue;
        if (array == nil) {
          EOU_THROW_STATUS(env, Status::Runtime("CoreMLSession.run: output '" + output.name + "' is missing from the prediction"));
        }
        // CoreML may ignore a backing (unsupported layout, batch mode): check identity, else copy.
        if (array != backings[name] && target.second.count > 0) {
          Status st = CopyOut(array, "CoreMLSession.run: output '" + output.name + "'", output.dtype, target.second.data,
                              target.second.count);
          if (!st.ok()) EOU_THROW_STATUS(env, st);
        }
        returned.Set(output.name, target.second.js);
      }
      return returned;
    }

    for (const TensorInfo& output : outputs_) {
      NSString* name = [NSString stringWithUTF8String:output.name.c_str()];
      MLMultiArray* array = [result featureValueForName:name].multiArrayValue;
      if (array == nil) {
        EOU_THROW_STATUS(env, Status::Runtime("CoreMLSession.run: output '" + output.name + "' is missing from the prediction"));
      }
      std::vector<int64_t> dims = ToVector(array.shape);
      size_t count = 1;
      for (int64_t d : dims) count *= static_cast<size_t>(d);
      const DTypeInfo& dt = InfoOf(output.dtype);
      Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, count * dt.bytes);
      EOU_RETURN_IF_PENDING(env);
      napi_value typed = nullptr;
      if (napi_create_typedarray(env, dt.typedArray, count, buffer, 0, &typed) != napi_ok) {
        EOU_THROW_STATUS(env, Status::Runtime("CoreMLSession.run: cannot allocate output '" + output.name + "'"));
      }
      Status st = CopyOut(array, "CoreMLSession.run: output '" + output.name + "'", output.dtype,
                          static_cast<uint8_t*>(buffer.Data()), count);
      if (!st.ok()) EOU_THROW_STATUS(env, st);
      returned.Set(output.name, TensorToJs(env, output.dtype, dims, Napi::Value(env, typed)));
    }
    return returned;
  }
}

}  // namespace eou

#endif  // __APPLE__
