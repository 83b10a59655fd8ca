// Session options parsing; see options_parse.h.
#include "options_parse.h"

#include "errors.h"

namespace eou {
namespace {

const char* const kKnownKeys[] = {"computeUnits", "allowLowPrecisionAccumulationOnGPU", "useOutputBackings",
                                  "functionName"};

std::string KnownKeysList() {
  std::string out;
  for (const char* key : kKnownKeys) out += (out.empty() ? "" : ", ") + std::string(key);
  return out;
}

std::string ComputeUnitsList() {
  std::string out;
  for (const auto& entry : kComputeUnitsNames) out += (out.empty() ? "'" : ", '") + std::string(entry.name) + "'";
  return out;
}

bool ReadBool(Napi::Env env, const Napi::Object& obj, const char* key, const std::string& path, bool* out) {
  Napi::Value v = obj.Get(key);
  if (env.IsExceptionPending()) return false;
  if (v.IsUndefined()) return true;
  if (!v.IsBoolean()) {
    ThrowTypeError(env, path + "." + key + " must be a boolean, got " + JsTypeName(v));
    return false;
  }
  *out = v.As<Napi::Boolean>().Value();
  return true;
}

}  // namespace

const char* ComputeUnitsToName(ComputeUnits units) {
  for (const auto& entry : kComputeUnitsNames) {
    if (entry.value == units) return entry.name;
  }
  return "all";
}

bool ParseSessionOptions(Napi::Env env, const Napi::Value& value, const std::string& path, SessionOptions* out) {
  *out = SessionOptions{};
  if (value.IsUndefined() || value.IsNull()) return true;
  if (!value.IsObject() || value.IsArray() || value.IsFunction() || value.IsTypedArray()) {
    ThrowTypeError(env, path + " must be an object, got " + JsTypeName(value));
    return false;
  }
  Napi::Object obj = value.As<Napi::Object>();

  Napi::Array keys = obj.GetPropertyNames();
  if (env.IsExceptionPending()) return false;
  for (uint32_t i = 0; i < keys.Length(); ++i) {
    Napi::Value keyValue = keys.Get(i);
    if (env.IsExceptionPending()) return false;
    const std::string key = keyValue.ToString().Utf8Value();
    bool known = false;
    for (const char* k : kKnownKeys) known = known || key == k;
    if (!known) {
      ThrowTypeError(env, path + "." + key + " is not a known option; expected one of " + KnownKeysList());
      return false;
    }
  }

  Napi::Value units = obj.Get("computeUnits");
  if (env.IsExceptionPending()) return false;
  if (!units.IsUndefined()) {
    if (!units.IsString()) {
      ThrowTypeError(env, path + ".computeUnits must be a string, got " + JsTypeName(units));
      return false;
    }
    const std::string name = units.As<Napi::String>().Utf8Value();
    bool found = false;
    for (const auto& entry : kComputeUnitsNames) {
      if (name == entry.name) {
        out->computeUnits = entry.value;
        found = true;
      }
    }
    if (!found) {
      ThrowRangeError(env, path + ".computeUnits must be one of " + ComputeUnitsList() + ", got '" + name + "'");
      return false;
    }
  }

  if (!ReadBool(env, obj, "allowLowPrecisionAccumulationOnGPU", path, &out->allowLowPrecisionAccumulationOnGPU)) {
    return false;
  }
  if (!ReadBool(env, obj, "useOutputBackings", path, &out->useOutputBackings)) return false;

  Napi::Value fn = obj.Get("functionName");
  if (env.IsExceptionPending()) return false;
  if (!fn.IsUndefined()) {
    if (!fn.IsString()) {
      ThrowTypeError(env, path + ".functionName must be a string, got " + JsTypeName(fn));
      return false;
    }
    out->functionName = fn.As<Napi::String>().Utf8Value();
    if (out->functionName.empty()) {
      ThrowRangeError(env, path + ".functionName must not be empty (omit it for the default function)");
      return false;
    }
  }
  return true;
}

Napi::Object SessionOptionsToJs(Napi::Env env, const SessionOptions& options) {
  Napi::Object obj = Napi::Object::New(env);
  obj.Set("computeUnits", ComputeUnitsToName(options.computeUnits));
  obj.Set("allowLowPrecisionAccumulationOnGPU", options.allowLowPrecisionAccumulationOnGPU);
  obj.Set("useOutputBackings", options.useOutputBackings);
  if (options.functionName.empty()) {
    obj.Set("functionName", env.Null());
  } else {
    obj.Set("functionName", options.functionName);
  }
  return obj;
}

Napi::Value ParseSessionOptionsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SessionOptions options;
  if (!ParseSessionOptions(env, info[0], "options", &options)) return env.Undefined();
  return SessionOptionsToJs(env, options);
}

}  // namespace eou
