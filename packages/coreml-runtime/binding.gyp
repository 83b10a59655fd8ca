{
  "targets": [
    {
      "target_name": "coreml_runtime",
      "sources": [
        "src/native/addon.cc",
        "src/native/backends.cc",
        "src/native/options_parse.cc",
        "src/native/tensor_convert.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-O3"],
      "cflags_cc!": ["-O3", "-std=gnu++17"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "cflags_cc": ["-O2", "-std=c++17"],
      "msvs_settings": {
        "VCCLCompilerTool": { "AdditionalOptions": ["/std:c++17", "/O2"] }
      },
      "conditions": [
        ["OS=='mac'", {
          "sources": ["src/native/coreml_session.mm"],
          "link_settings": {
            "libraries": ["-framework CoreML", "-framework Foundation"]
          },
          "xcode_settings": {
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "CLANG_ENABLE_OBJC_ARC": "YES",
            "GCC_ENABLE_OBJC_EXCEPTIONS": "YES",
            "GCC_OPTIMIZATION_LEVEL": "2",
            "MACOSX_DEPLOYMENT_TARGET": "11.0",
            "OTHER_CPLUSPLUSFLAGS": ["-std=c++17", "-fobjc-arc", "-Wall"]
          }
        }]
      ]
    }
  ]
}
