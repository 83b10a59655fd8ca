// Portable tensor conversions; see tensor_convert.h for the contract of each function.
#include "tensor_convert.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>

namespace eou {
namespace {

constexpr int64_t kMaxSafeInteger = 9007199254740991;  // Number.MAX_SAFE_INTEGER

const char* TypedArrayName(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "TypedArray";
  }
}

std::string DescribeValue(const Napi::Value& v) {
  if (v.IsTypedArray()) return TypedArrayName(v.As<Napi::TypedArray>().TypedArrayType());
  return JsTypeName(v);
}

// Start of a typed array's bytes. Zero-length arrays may have no backing store (nullptr).
uint8_t* BytesOf(const Napi::TypedArray& a) {
  auto* base = static_cast<uint8_t*>(a.ArrayBuffer().Data());
  return base == nullptr ? nullptr : base + a.ByteOffset();
}

bool Overlaps(const Napi::TypedArray& a, const Napi::TypedArray& b) {
  const uint8_t* pa = BytesOf(a);
  const uint8_t* pb = BytesOf(b);
  if (pa == nullptr || pb == nullptr || a.ByteLength() == 0 || b.ByteLength() == 0) return false;
  return pa < pb + b.ByteLength() && pb < pa + a.ByteLength();
}

// A new typed array of `type` with `length` elements; nullptr-valued with a pending exception on failure.
Napi::Value NewTypedArray(Napi::Env env, napi_typedarray_type type, size_t length) {
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, length * TypedArrayElementSize(type));
  if (env.IsExceptionPending()) return env.Undefined();
  napi_value result = nullptr;
  if (napi_create_typedarray(env, type, length, buffer, 0, &result) != napi_ok) {
    ThrowRangeError(env, "cannot allocate a typed array of " + std::to_string(length) + " elements");
    return env.Undefined();
  }
  return Napi::Value(env, result);
}

std::string FormatDims(const std::vector<int64_t>& v) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < v.size(); ++i) out << (i ? ", " : "") << v[i];
  out << ']';
  return out.str();
}

// One element-size-specialised copy loop for both directions. The innermost dimension is a
// run: a memcpy when its stride is 1, else a gather/scatter loop.
template <size_t EB, bool kToDense>
void CopyImpl(uint8_t* strided, uint8_t* dense, const StridedLayout& layout) {
  const size_t rank = layout.shape.size();
  if (rank == 0) {
    uint8_t* s = strided + static_cast<size_t>(layout.offset) * EB;
    if (kToDense) std::memcpy(dense, s, EB); else std::memcpy(s, dense, EB);
    return;
  }
  for (int64_t n : layout.shape) {
    if (n == 0) return;
  }
  const size_t inner = static_cast<size_t>(layout.shape[rank - 1]);
  const size_t innerStrideBytes = static_cast<size_t>(layout.strides[rank - 1]) * EB;
  std::vector<int64_t> index(rank, 0);
  int64_t base = layout.offset;
  while (true) {
    uint8_t* run = strided + static_cast<size_t>(base) * EB;
    if (innerStrideBytes == EB) {
      if (kToDense) std::memcpy(dense, run, inner * EB); else std::memcpy(run, dense, inner * EB);
      dense += inner * EB;
    } else {
      for (size_t j = 0; j < inner; ++j, run += innerStrideBytes, dense += EB) {
        if (kToDense) std::memcpy(dense, run, EB); else std::memcpy(run, dense, EB);
      }
    }
    // Odometer over the outer dimensions.
    int64_t k = static_cast<int64_t>(rank) - 2;
    for (; k >= 0; --k) {
      if (++index[k] < layout.shape[k]) {
        base += layout.strides[k];
        break;
      }
      base -= (layout.shape[k] - 1) * layout.strides[k];
      index[k] = 0;
    }
    if (k < 0) return;
  }
}

template <bool kToDense>
void CopyDispatch(uint8_t* strided, uint8_t* dense, size_t elemBytes, const StridedLayout& layout) {
  switch (elemBytes) {
    case 1: return CopyImpl<1, kToDense>(strided, dense, layout);
    case 2: return CopyImpl<2, kToDense>(strided, dense, layout);
    case 4: return CopyImpl<4, kToDense>(strided, dense, layout);
    case 8: return CopyImpl<8, kToDense>(strided, dense, layout);
    default: return;  // unreachable: callers pass typed-array element sizes
  }
}

}  // namespace

bool DTypeFromName(const std::string& name, DType* out) {
  for (const DTypeInfo& info : kDTypes) {
    if (name == info.name) {
      *out = info.dtype;
      return true;
    }
  }
  return false;
}

bool DTypeFromMLMultiArrayType(uint32_t code, DType* out) {
  for (const DTypeInfo& info : kDTypes) {
    if (code == info.mlMultiArrayType) {
      *out = info.dtype;
      return true;
    }
  }
  return false;
}

size_t TypedArrayElementSize(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array:
    case napi_uint8_array:
    case napi_uint8_clamped_array: return 1;
    case napi_int16_array:
    case napi_uint16_array: return 2;
    case napi_int32_array:
    case napi_uint32_array:
    case napi_float32_array: return 4;
    case napi_float64_array:
    case napi_bigint64_array:
    case napi_biguint64_array: return 8;
    default: return 0;
  }
}

// Both conversions are written without data-dependent branches (selects only) so the loops
// over whole arrays stay fast on mixed data; the tests pin every result against the IEEE
// definitions. The subnormal paths use the FPU's own round-to-nearest-even, so this file must
// not be built with -ffast-math or x87 arithmetic (the addon targets SSE2/NEON).

float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t abs = h & 0x7fffu;
  // Normal: shift into place and rebias the exponent (15 -> 127); inf/NaN need the all-ones
  // exponent, i.e. a second rebias. NaN payloads ride along in the mantissa.
  uint32_t normal = (abs << 13) + 0x38000000u;
  normal += abs >= 0x7c00u ? 0x38000000u : 0u;
  // Subnormal (and zero) m * 2^-24: with 0.5f's exponent the float's last mantissa bit is
  // worth 2^-24, so 0.5 + m * 2^-24 is exact and subtracting 0.5 leaves the value.
  const uint32_t biased = 0x3f000000u + abs;
  float sub;
  std::memcpy(&sub, &biased, sizeof sub);
  sub -= 0.5f;
  uint32_t subBits;
  std::memcpy(&subBits, &sub, sizeof subBits);
  const uint32_t bits = sign | (abs < 0x0400u ? subBits : normal);
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

uint16_t FloatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, sizeof x);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t abs = x & 0x7fffffffu;
  // Normal half: rebias (127 -> 15) and drop 13 mantissa bits, rounding to nearest even by
  // adding 0xfff plus the lowest kept bit. A carry may bump the exponent, up to inf
  // (65520 <= |f| < 65536 becomes 0x7c00): that is the correct IEEE overflow.
  const uint32_t normal = (abs - 0x38000000u + 0x0fffu + ((abs >> 13) & 1u)) >> 13;
  // Subnormal half (|f| < 2^-14): adding 0.5f makes the float's last mantissa bit worth 2^-24
  // (one half subnormal step), so the addition's own rounding is the round-to-nearest-even.
  float magnitude;
  std::memcpy(&magnitude, &abs, sizeof magnitude);
  const float shifted = magnitude + 0.5f;
  uint32_t shiftedBits;
  std::memcpy(&shiftedBits, &shifted, sizeof shiftedBits);
  const uint32_t sub = shiftedBits - 0x3f000000u;
  // NaN: keep the top payload bits and force the quiet bit so it cannot turn into inf.
  const uint32_t nan = 0x7e00u | ((abs >> 13) & 0x3ffu);
  uint32_t h = abs < 0x38800000u ? sub : normal;
  h = abs >= 0x47800000u ? 0x7c00u : h;
  h = abs > 0x7f800000u ? nan : h;
  return static_cast<uint16_t>(sign | h);
}

namespace {

// Every half decoded once (256 KiB, built on first use; thread-safe static init). A lookup beats
// the arithmetic in bulk: it stays in L2 and has no dependency chain.
const float* HalfTable() {
  static const std::vector<float> table = [] {
    std::vector<float> t(65536);
    for (uint32_t h = 0; h < 65536; ++h) t[h] = HalfToFloat(static_cast<uint16_t>(h));
    return t;
  }();
  return table.data();
}

}  // namespace

void HalfToFloatN(const uint16_t* src, float* dst, size_t n) {
  const float* table = HalfTable();
  for (size_t i = 0; i < n; ++i) dst[i] = table[src[i]];
}

void FloatToHalfN(const float* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = FloatToHalf(src[i]);
}

Status CheckStridedLayout(const StridedLayout& layout, size_t bufferElements, const char* what,
                          size_t* denseCount) {
  if (layout.shape.size() != layout.strides.size()) {
    return Status::Range(std::string("layout.strides.length must equal layout.shape.length (") +
                         std::to_string(layout.shape.size()) + "), got " +
                         std::to_string(layout.strides.size()));
  }
  size_t count = 1;
  for (size_t i = 0; i < layout.shape.size(); ++i) {
    const auto n = static_cast<uint64_t>(layout.shape[i]);
    if (n != 0 && count > std::numeric_limits<size_t>::max() / n) {
      return Status::Range("shape " + FormatDims(layout.shape) + " has too many elements");
    }
    count *= static_cast<size_t>(n);
  }
  *denseCount = count;
  if (count == 0) return Status::Ok();
  // Highest element addressed: offset + sum((shape[i] - 1) * strides[i]), checked for overflow.
  int64_t last = layout.offset;
  bool overflow = false;
  for (size_t i = 0; i < layout.shape.size() && !overflow; ++i) {
    const int64_t span = layout.shape[i] - 1;
    const int64_t stride = layout.strides[i];
    if (stride != 0 && span > (std::numeric_limits<int64_t>::max() - last) / stride) {
      overflow = true;
    } else {
      last += span * stride;
    }
  }
  if (overflow || static_cast<uint64_t>(last) >= bufferElements) {
    return Status::Range(std::string(what) + " has " + std::to_string(bufferElements) +
                         " elements but shape " + FormatDims(layout.shape) + ", strides " +
                         FormatDims(layout.strides) + ", offset " + std::to_string(layout.offset) +
                         " address element " + (overflow ? std::string("beyond 2^63") : std::to_string(last)));
  }
  return Status::Ok();
}

void CopyStridedToDense(const void* src, size_t elemBytes, const StridedLayout& layout, void* dst) {
  CopyDispatch<true>(const_cast<uint8_t*>(static_cast<const uint8_t*>(src)), static_cast<uint8_t*>(dst),
                     elemBytes, layout);
}

void CopyDenseToStrided(const void* src, size_t elemBytes, const StridedLayout& layout, void* dst) {
  CopyDispatch<false>(static_cast<uint8_t*>(dst), const_cast<uint8_t*>(static_cast<const uint8_t*>(src)),
                      elemBytes, layout);
}

bool ReadIndex(Napi::Env env, const Napi::Value& v, const std::string& path, int64_t* out) {
  if (!v.IsNumber()) {
    ThrowTypeError(env, path + " must be a number, got " + JsTypeName(v));
    return false;
  }
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > static_cast<double>(kMaxSafeInteger) || std::floor(d) != d) {
    std::ostringstream msg;
    msg << path << " must be a non-negative integer, got " << d;
    ThrowRangeError(env, msg.str());
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

bool ReadLayoutArgs(Napi::Env env, const char* fn, const Napi::Value& shape,
                    const Napi::Value& strides, const Napi::Value& offset, StridedLayout* out) {
  const std::string prefix = std::string(fn) + ": ";
  const Napi::Value* arrays[2] = {&shape, &strides};
  const char* names[2] = {"layout.shape", "layout.strides"};
  std::vector<int64_t>* targets[2] = {&out->shape, &out->strides};
  for (int a = 0; a < 2; ++a) {
    if (!arrays[a]->IsArray()) {
      ThrowTypeError(env, prefix + names[a] + " must be an array of integers, got " + JsTypeName(*arrays[a]));
      return false;
    }
    Napi::Array arr = arrays[a]->As<Napi::Array>();
    const uint32_t len = arr.Length();
    if (len > 32) {
      ThrowRangeError(env, prefix + names[a] + " has " + std::to_string(len) + " entries; at most 32 are supported");
      return false;
    }
    targets[a]->resize(len);
    for (uint32_t i = 0; i < len; ++i) {
      Napi::Value v = arr.Get(i);
      if (env.IsExceptionPending()) return false;
      if (!ReadIndex(env, v, prefix + names[a] + "[" + std::to_string(i) + "]", &(*targets[a])[i])) return false;
    }
  }
  if (out->shape.size() != out->strides.size()) {
    ThrowRangeError(env, prefix + "layout.strides.length must equal layout.shape.length (" + std::to_string(out->shape.size()) +
                             "), got " + std::to_string(out->strides.size()));
    return false;
  }
  out->offset = 0;
  if (!offset.IsUndefined() && !ReadIndex(env, offset, prefix + "layout.offset", &out->offset)) return false;
  return true;
}

Napi::Value HalfToFloatJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Value srcValue = info[0];
  if (!srcValue.IsTypedArray() || srcValue.As<Napi::TypedArray>().TypedArrayType() != napi_uint16_array) {
    EOU_THROW_TYPE(env, "halfToFloat: src must be a Uint16Array of IEEE half bits, got " + DescribeValue(srcValue));
  }
  auto src = srcValue.As<Napi::TypedArray>();
  const size_t n = src.ElementLength();
  Napi::Value dstValue = info[1];
  if (dstValue.IsUndefined()) {
    dstValue = NewTypedArray(env, napi_float32_array, n);
    EOU_RETURN_IF_PENDING(env);
  } else if (!dstValue.IsTypedArray() || dstValue.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    EOU_THROW_TYPE(env, "halfToFloat: dst must be a Float32Array, got " + DescribeValue(dstValue));
  }
  auto dst = dstValue.As<Napi::TypedArray>();
  if (dst.ElementLength() != n) {
    EOU_THROW_RANGE(env, "halfToFloat: dst.length must equal src.length (" + std::to_string(n) + "), got " +
                             std::to_string(dst.ElementLength()));
  }
  if (Overlaps(src, dst)) EOU_THROW_RANGE(env, "halfToFloat: dst must not overlap src");
  if (n > 0) HalfToFloatN(reinterpret_cast<const uint16_t*>(BytesOf(src)), reinterpret_cast<float*>(BytesOf(dst)), n);
  return dst;
}

Napi::Value FloatToHalfJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Value srcValue = info[0];
  if (!srcValue.IsTypedArray() || srcValue.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    EOU_THROW_TYPE(env, "floatToHalf: src must be a Float32Array, got " + DescribeValue(srcValue));
  }
  auto src = srcValue.As<Napi::TypedArray>();
  const size_t n = src.ElementLength();
  Napi::Value dstValue = info[1];
  if (dstValue.IsUndefined()) {
    dstValue = NewTypedArray(env, napi_uint16_array, n);
    EOU_RETURN_IF_PENDING(env);
  } else if (!dstValue.IsTypedArray() || dstValue.As<Napi::TypedArray>().TypedArrayType() != napi_uint16_array) {
    EOU_THROW_TYPE(env, "floatToHalf: dst must be a Uint16Array, got " + DescribeValue(dstValue));
  }
  auto dst = dstValue.As<Napi::TypedArray>();
  if (dst.ElementLength() != n) {
    EOU_THROW_RANGE(env, "floatToHalf: dst.length must equal src.length (" + std::to_string(n) + "), got " +
                             std::to_string(dst.ElementLength()));
  }
  if (Overlaps(src, dst)) EOU_THROW_RANGE(env, "floatToHalf: dst must not overlap src");
  if (n > 0) FloatToHalfN(reinterpret_cast<const float*>(BytesOf(src)), reinterpret_cast<uint16_t*>(BytesOf(dst)), n);
  return dst;
}

Napi::Array InfoToJs(Napi::Env env, const std::vector<TensorInfo>& infos) {
  Napi::Array out = Napi::Array::New(env, infos.size());
  for (uint32_t i = 0; i < infos.size(); ++i) {
    Napi::Object row = Napi::Object::New(env);
    row.Set("name", infos[i].name);
    row.Set("dtype", InfoOf(infos[i].dtype).name);
    Napi::Array shape = Napi::Array::New(env, infos[i].shape.size());
    for (uint32_t d = 0; d < infos[i].shape.size(); ++d) shape.Set(d, static_cast<double>(infos[i].shape[d]));
    row.Set("shape", shape);
    out.Set(i, row);
  }
  return out;
}

bool ReadTensor(Napi::Env env, const Napi::Value& value, const std::string& path, const TensorInfo& info,
                TensorView* out) {
  if (!value.IsObject() || value.IsArray() || value.IsTypedArray() || value.IsFunction()) {
    ThrowTypeError(env, path + " must be a tensor {dtype, dims, data}, got " + DescribeValue(value));
    return false;
  }
  Napi::Object tensor = value.As<Napi::Object>();
  const DTypeInfo& want = InfoOf(info.dtype);
  Napi::Value dtype = tensor.Get("dtype");
  if (env.IsExceptionPending()) return false;
  if (!dtype.IsString() || dtype.As<Napi::String>().Utf8Value() != want.name) {
    ThrowTypeError(env, path + ".dtype must be '" + want.name + "' (declared by the model), got " +
                            (dtype.IsString() ? "'" + dtype.As<Napi::String>().Utf8Value() + "'" : JsTypeName(dtype)));
    return false;
  }
  Napi::Value dims = tensor.Get("dims");
  if (env.IsExceptionPending()) return false;
  if (!dims.IsArray()) {
    ThrowTypeError(env, path + ".dims must be an array of integers, got " + JsTypeName(dims));
    return false;
  }
  Napi::Array dimsArray = dims.As<Napi::Array>();
  if (dimsArray.Length() != info.shape.size()) {
    ThrowRangeError(env, path + ".dims must have " + std::to_string(info.shape.size()) + " entries (declared rank), got " +
                             std::to_string(dimsArray.Length()));
    return false;
  }
  out->dims.resize(info.shape.size());
  size_t count = 1;
  for (uint32_t i = 0; i < dimsArray.Length(); ++i) {
    const std::string dimPath = path + ".dims[" + std::to_string(i) + "]";
    Napi::Value d = dimsArray.Get(i);
    if (env.IsExceptionPending()) return false;
    if (!ReadIndex(env, d, dimPath, &out->dims[i])) return false;
    if (info.shape[i] >= 0 && out->dims[i] != info.shape[i]) {
      ThrowRangeError(env, dimPath + " must be " + std::to_string(info.shape[i]) + " (declared), got " +
                               std::to_string(out->dims[i]));
      return false;
    }
    const auto n = static_cast<size_t>(out->dims[i]);
    if (n != 0 && count > std::numeric_limits<size_t>::max() / n) {
      ThrowRangeError(env, path + ".dims has too many elements");
      return false;
    }
    count *= n;
  }
  Napi::Value data = tensor.Get("data");
  if (env.IsExceptionPending()) return false;
  if (!data.IsTypedArray() || data.As<Napi::TypedArray>().TypedArrayType() != want.typedArray) {
    ThrowTypeError(env, path + ".data must be a " + TypedArrayName(want.typedArray) + " (dtype '" + want.name +
                            "'), got " + DescribeValue(data));
    return false;
  }
  Napi::TypedArray array = data.As<Napi::TypedArray>();
  if (array.ElementLength() != count) {
    ThrowRangeError(env, path + ".data.length must be " + std::to_string(count) + " (product of dims), got " +
                             std::to_string(array.ElementLength()));
    return false;
  }
  auto* base = static_cast<uint8_t*>(array.ArrayBuffer().Data());
  out->data = base == nullptr ? nullptr : base + array.ByteOffset();
  out->count = count;
  out->js = value;
  return true;
}

Napi::Object TensorToJs(Napi::Env env, DType dtype, const std::vector<int64_t>& dims, const Napi::Value& data) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("dtype", InfoOf(dtype).name);
  Napi::Array jsDims = Napi::Array::New(env, dims.size());
  for (uint32_t i = 0; i < dims.size(); ++i) jsDims.Set(i, static_cast<double>(dims[i]));
  out.Set("dims", jsDims);
  out.Set("data", data);
  return out;
}

Napi::Value CheckTensorJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Value infoValue = info[1];
  if (!infoValue.IsObject()) EOU_THROW_TYPE(env, std::string("checkTensor: info must be an object, got ") + JsTypeName(infoValue));
  Napi::Object infoObject = infoValue.As<Napi::Object>();
  TensorInfo declared;
  Napi::Value name = infoObject.Get("name");
  Napi::Value dtype = infoObject.Get("dtype");
  Napi::Value shape = infoObject.Get("shape");
  EOU_RETURN_IF_PENDING(env);
  if (!name.IsString()) EOU_THROW_TYPE(env, std::string("checkTensor: info.name must be a string, got ") + JsTypeName(name));
  declared.name = name.As<Napi::String>().Utf8Value();
  if (!dtype.IsString() || !DTypeFromName(dtype.As<Napi::String>().Utf8Value(), &declared.dtype)) {
    EOU_THROW_TYPE(env, "checkTensor: info.dtype must be 'float32', 'float16' or 'int32'");
  }
  if (!shape.IsArray()) EOU_THROW_TYPE(env, std::string("checkTensor: info.shape must be an array, got ") + JsTypeName(shape));
  Napi::Array shapeArray = shape.As<Napi::Array>();
  for (uint32_t i = 0; i < shapeArray.Length(); ++i) {
    Napi::Value d = shapeArray.Get(i);
    EOU_RETURN_IF_PENDING(env);
    if (!d.IsNumber()) EOU_THROW_TYPE(env, "checkTensor: info.shape[" + std::to_string(i) + "] must be a number");
    declared.shape.push_back(static_cast<int64_t>(d.As<Napi::Number>().DoubleValue()));
  }
  if (!info[2].IsString()) EOU_THROW_TYPE(env, std::string("checkTensor: path must be a string, got ") + JsTypeName(info[2]));
  TensorView view;
  if (!ReadTensor(env, info[0], info[2].As<Napi::String>().Utf8Value(), declared, &view)) return env.Undefined();
  return Napi::Number::New(env, static_cast<double>(view.count));
}

namespace {

// Shared body of the two strided entry points; `toDense` picks the direction.
Napi::Value StridedCopyJs(const Napi::CallbackInfo& info, bool toDense) {
  Napi::Env env = info.Env();
  const char* fn = toDense ? "stridedToDense" : "denseToStrided";
  const std::string prefix = std::string(fn) + ": ";
  Napi::Value srcValue = info[0];
  if (!srcValue.IsTypedArray()) EOU_THROW_TYPE(env, prefix + "src must be a typed array, got " + JsTypeName(srcValue));
  auto src = srcValue.As<Napi::TypedArray>();
  const napi_typedarray_type type = src.TypedArrayType();
  const size_t elemBytes = TypedArrayElementSize(type);
  if (elemBytes == 0) EOU_THROW_TYPE(env, prefix + "src has an unsupported typed array type");
  StridedLayout layout;
  if (!ReadLayoutArgs(env, fn, info[1], info[2], info[3], &layout)) return env.Undefined();

  Napi::Value dstValue = info[4];
  if (dstValue.IsUndefined() && toDense) {
    size_t count = 0;
    Status st = CheckStridedLayout(layout, src.ElementLength(), "src", &count);
    if (!st.ok()) EOU_THROW_STATUS(env, Status::Range(prefix + st.message));
    dstValue = NewTypedArray(env, type, count);
    EOU_RETURN_IF_PENDING(env);
  } else if (!dstValue.IsTypedArray() || dstValue.As<Napi::TypedArray>().TypedArrayType() != type) {
    EOU_THROW_TYPE(env, prefix + "dst must be a " + TypedArrayName(type) + " like src, got " + DescribeValue(dstValue));
  }
  auto dst = dstValue.As<Napi::TypedArray>();
  const Napi::TypedArray& strided = toDense ? src : dst;
  const Napi::TypedArray& dense = toDense ? dst : src;
  size_t count = 0;
  Status st = CheckStridedLayout(layout, strided.ElementLength(), toDense ? "src" : "dst", &count);
  if (!st.ok()) EOU_THROW_STATUS(env, Status::Range(prefix + st.message));
  if (dense.ElementLength() != count) {
    EOU_THROW_RANGE(env, prefix + (toDense ? "dst" : "src") + ".length must be " + std::to_string(count) +
                             " (the product of shape), got " + std::to_string(dense.ElementLength()));
  }
  if (Overlaps(src, dst)) EOU_THROW_RANGE(env, prefix + "dst must not overlap src");
  if (count > 0) {
    if (toDense) {
      CopyStridedToDense(BytesOf(src), elemBytes, layout, BytesOf(dst));
    } else {
      CopyDenseToStrided(BytesOf(src), elemBytes, layout, BytesOf(dst));
    }
  }
  return dst;
}

}  // namespace

Napi::Value StridedToDenseJs(const Napi::CallbackInfo& info) { return StridedCopyJs(info, true); }

Napi::Value DenseToStridedJs(const Napi::CallbackInfo& info) { return StridedCopyJs(info, false); }

}  // namespace eou
