// Portable tensor conversions (no platform APIs): IEEE half <-> float with round-to-nearest-even,
// strided <-> dense copies of MLMultiArray-like buffers, and the dtype table that ties the
// session contract's dtype names to JS typed arrays and CoreML's MLMultiArrayDataType codes.
// The CoreML session (darwin) uses the same functions, so Linux tests cover its data path.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "errors.h"

namespace eou {

/** Element types a CoreML session exchanges (CoreML has no int64 multi-arrays). */
enum class DType : uint8_t { kFloat32 = 0, kFloat16 = 1, kInt32 = 2, kCount = 3 };

struct DTypeInfo {
  DType dtype;
  const char* name;                 // the session contract's dtype name
  size_t bytes;                     // element size
  napi_typedarray_type typedArray;  // JS storage (float16 travels as Uint16Array bits)
  uint32_t mlMultiArrayType;        // MLMultiArrayDataType raw value (asserted in coreml_session.mm)
};

inline constexpr DTypeInfo kDTypes[] = {
    {DType::kFloat32, "float32", 4, napi_float32_array, 0x10020},
    {DType::kFloat16, "float16", 2, napi_uint16_array, 0x10010},
    {DType::kInt32, "int32", 4, napi_int32_array, 0x20020},
};

constexpr bool DTypeTableIsIndexedByEnum() {
  for (size_t i = 0; i < sizeof(kDTypes) / sizeof(kDTypes[0]); ++i) {
    if (static_cast<size_t>(kDTypes[i].dtype) != i) return false;
  }
  return true;
}
static_assert(sizeof(kDTypes) / sizeof(kDTypes[0]) == static_cast<size_t>(DType::kCount),
              "one kDTypes row per DType");
static_assert(DTypeTableIsIndexedByEnum(), "kDTypes rows must be in DType order");
static_assert(kDTypes[static_cast<size_t>(DType::kFloat32)].bytes == sizeof(float), "float32 size");
static_assert(kDTypes[static_cast<size_t>(DType::kFloat16)].bytes == sizeof(uint16_t), "float16 size");
static_assert(kDTypes[static_cast<size_t>(DType::kInt32)].bytes == sizeof(int32_t), "int32 size");
static_assert(sizeof(float) == 4 && sizeof(uint32_t) == 4, "IEEE binary32 expected");

constexpr const DTypeInfo& InfoOf(DType d) { return kDTypes[static_cast<size_t>(d)]; }

/** Looks a dtype up by contract name; false when the name is not one CoreML can exchange. */
bool DTypeFromName(const std::string& name, DType* out);

/** Looks a dtype up by MLMultiArrayDataType code; false for codes we do not exchange (e.g. Double). */
bool DTypeFromMLMultiArrayType(uint32_t code, DType* out);

/** Element size of a JS typed array type (1, 2, 4 or 8 bytes). */
size_t TypedArrayElementSize(napi_typedarray_type type);

/** IEEE half bits -> float (exact: every half is a float). NaN payloads keep their top bits. */
float HalfToFloat(uint16_t h);

/** float -> IEEE half bits, round-to-nearest-even; overflow -> inf; NaN stays NaN (quiet). */
uint16_t FloatToHalf(float f);

void HalfToFloatN(const uint16_t* src, float* dst, size_t n);
void FloatToHalfN(const float* src, uint16_t* dst, size_t n);

/** An MLMultiArray-like view: shape and strides in elements, plus a start offset in elements. */
struct StridedLayout {
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
  int64_t offset = 0;
};

/**
 * Checks that every element the layout addresses lies inside a buffer of `bufferElements`
 * elements, and stores the dense element count (product of shape) in `denseCount`.
 * `what` names the buffer argument for the message.
 */
Status CheckStridedLayout(const StridedLayout& layout, size_t bufferElements, const char* what,
                          size_t* denseCount);

/** Copies the strided view of `src` into dense C order at `dst`. Layout must be checked first. */
void CopyStridedToDense(const void* src, size_t elemBytes, const StridedLayout& layout, void* dst);

/** Scatters dense C-order `src` into the strided view of `dst`. Layout must be checked first. */
void CopyDenseToStrided(const void* src, size_t elemBytes, const StridedLayout& layout, void* dst);

// JS tensors <-> native views -------------------------------------------------------------------

/** A declared model input or output. Flexible dimensions are -1. */
struct TensorInfo {
  std::string name;
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
};

/**
 * A JS tensor {dtype, dims, data} checked against a TensorInfo. Not owned: `data` points into
 * the JS typed array, which the caller's handle scope keeps alive for a synchronous call.
 */
struct TensorView {
  std::vector<int64_t> dims;
  uint8_t* data = nullptr;
  size_t count = 0;
  Napi::Value js;
};

/**
 * Checks a JS tensor against `info` (dtype name, rank, fixed dims, typed-array kind, length =
 * product of dims) and fills `out`. False with a pending TypeError/RangeError whose message
 * starts with `path` ("CoreMLSession.run: feeds.h_in.dims[2] must be 640 (declared), got 64").
 */
bool ReadTensor(Napi::Env env, const Napi::Value& value, const std::string& path, const TensorInfo& info,
                TensorView* out);

/** TensorInfo rows as JS `{name, dtype, shape}` objects. */
Napi::Array InfoToJs(Napi::Env env, const std::vector<TensorInfo>& infos);

/** A JS tensor object {dtype, dims, data}. */
Napi::Object TensorToJs(Napi::Env env, DType dtype, const std::vector<int64_t>& dims, const Napi::Value& data);

/**
 * [sync] checkTensor(tensor, info: {name, dtype, shape}, path: string) -> number (element count).
 * The exact argument check CoreMLSession.run applies to each feed and preallocated output,
 * exported so every platform's tests cover it.
 */
Napi::Value CheckTensorJs(const Napi::CallbackInfo& info);

// JS entry points ------------------------------------------------------------------------------

/** [sync] halfToFloat(src: Uint16Array, dst?: Float32Array) -> Float32Array. */
Napi::Value HalfToFloatJs(const Napi::CallbackInfo& info);

/** [sync] floatToHalf(src: Float32Array, dst?: Uint16Array) -> Uint16Array. */
Napi::Value FloatToHalfJs(const Napi::CallbackInfo& info);

/**
 * [sync] stridedToDense(src: TypedArray, shape: number[], strides: number[], offset: number,
 * dst?: same TypedArray type) -> dense copy. Throws TypeError/RangeError naming the argument.
 */
Napi::Value StridedToDenseJs(const Napi::CallbackInfo& info);

/** [sync] denseToStrided(src: TypedArray, shape, strides, offset, dst: same type) -> dst. */
Napi::Value DenseToStridedJs(const Napi::CallbackInfo& info);

/**
 * Reads `shape`, `strides` and `offset` JS arguments into a layout; on failure a JS exception is
 * pending and false is returned. `fn` prefixes messages ("stridedToDense: strides[2] …").
 */
bool ReadLayoutArgs(Napi::Env env, const char* fn, const Napi::Value& shape,
                    const Napi::Value& strides, const Napi::Value& offset, StridedLayout* out);

/** Reads a non-negative safe integer from an array element; `path` names it in messages. */
bool ReadIndex(Napi::Env env, const Napi::Value& v, const std::string& path, int64_t* out);

}  // namespace eou
