// Error plumbing shared by every native entry point. The addon is built with
// NAPI_DISABLE_CPP_EXCEPTIONS, so "throwing" means: set a pending JS exception and return.
// Portable code (no N-API) reports failures as a Status that the entry point turns into the
// matching JS error class: TypeError for a wrong JS type, RangeError for a bad number or
// size, Error for a runtime failure.
#pragma once

#include <napi.h>

#include <string>
#include <utility>

namespace eou {

/** Outcome of a portable operation; `message` names the argument path. */
struct Status {
  enum class Kind { kOk, kType, kRange, kRuntime };
  Kind kind = Kind::kOk;
  std::string message;

  static Status Ok() { return {}; }
  static Status Type(std::string m) { return {Kind::kType, std::move(m)}; }
  static Status Range(std::string m) { return {Kind::kRange, std::move(m)}; }
  static Status Runtime(std::string m) { return {Kind::kRuntime, std::move(m)}; }
  bool ok() const { return kind == Kind::kOk; }
};

inline void ThrowTypeError(Napi::Env env, const std::string& message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
}

inline void ThrowRangeError(Napi::Env env, const std::string& message) {
  Napi::RangeError::New(env, message).ThrowAsJavaScriptException();
}

inline void ThrowError(Napi::Env env, const std::string& message) {
  Napi::Error::New(env, message).ThrowAsJavaScriptException();
}

/** Sets the JS exception matching `status`; no-op for an ok status. */
inline void ThrowStatus(Napi::Env env, const Status& status) {
  switch (status.kind) {
    case Status::Kind::kOk:
      return;
    case Status::Kind::kType:
      return ThrowTypeError(env, status.message);
    case Status::Kind::kRange:
      return ThrowRangeError(env, status.message);
    case Status::Kind::kRuntime:
      return ThrowError(env, status.message);
  }
}

/** typeof-like name of a JS value for "got …" messages ("array" and "null" split out). */
inline const char* JsTypeName(const Napi::Value& v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_function: return "function";
    case napi_bigint: return "bigint";
    case napi_external: return "external";
    case napi_object: return v.IsArray() ? "array" : (v.IsTypedArray() ? "typed array" : "object");
  }
  return "unknown";
}

}  // namespace eou

// Early-return helpers for entry points (the "throw" of a no-exceptions build).
#define EOU_RETURN_IF_PENDING(env)      \
  do {                                  \
    if ((env).IsExceptionPending()) {   \
      return (env).Undefined();         \
    }                                   \
  } while (0)

#define EOU_THROW_TYPE(env, message)    \
  do {                                  \
    ::eou::ThrowTypeError(env, message); \
    return (env).Undefined();           \
  } while (0)

#define EOU_THROW_RANGE(env, message)    \
  do {                                   \
    ::eou::ThrowRangeError(env, message); \
    return (env).Undefined();            \
  } while (0)

#define EOU_THROW_STATUS(env, status)   \
  do {                                  \
    ::eou::ThrowStatus(env, status);    \
    return (env).Undefined();           \
  } while (0)
