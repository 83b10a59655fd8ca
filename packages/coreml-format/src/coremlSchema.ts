/**
 * The subset of upstream CoreML `Model.proto`, `FeatureTypes.proto` and `MIL.proto` (package
 * `CoreML.Specification` / `CoreML.Specification.MILSpec`, proto3) this package reads and writes,
 * with the upstream field numbers, parsed once with `protobuf.parse`. Model types other than ML
 * Program and the training/update fields are left out: protobufjs skips unknown fields on decode.
 */
import protobuf from 'protobufjs';

const COREML_PROTO = `
syntax = "proto3";
package CoreML.Specification;

message Model {
  int32 specificationVersion = 1;
  ModelDescription description = 2;
  bool isUpdatable = 10;
  oneof Type {
    MILSpec.Program mlProgram = 502;
  }
}

message Metadata {
  string shortDescription = 1;
  string versionString = 2;
  string author = 3;
  string license = 4;
  map<string, string> userDefined = 100;
}

message ModelDescription {
  repeated FeatureDescription input = 1;
  repeated FeatureDescription output = 10;
  string predictedFeatureName = 11;
  string predictedProbabilitiesName = 12;
  repeated FeatureDescription state = 13;
  Metadata metadata = 100;
}

message FeatureDescription {
  string name = 1;
  string shortDescription = 2;
  FeatureType type = 3;
}

message Int64FeatureType {}
message DoubleFeatureType {}
message StringFeatureType {}

message ArrayFeatureType {
  enum ArrayDataType {
    INVALID_ARRAY_DATA_TYPE = 0;
    FLOAT32 = 65568;
    DOUBLE = 65600;
    FLOAT16 = 65552;
    INT32 = 131104;
    INT8 = 131080;
  }
  message Shape { repeated int64 shape = 1; }
  message EnumeratedShapes { repeated Shape shapes = 1; }
  message ShapeRange { repeated SizeRange sizeRanges = 1; }
  repeated int64 shape = 1;
  ArrayDataType dataType = 2;
  oneof ShapeFlexibility {
    EnumeratedShapes enumeratedShapes = 21;
    ShapeRange shapeRange = 31;
  }
  oneof defaultOptionalValue {
    int32 intDefaultValue = 41;
    float floatDefaultValue = 51;
    double doubleDefaultValue = 61;
  }
}

message SizeRange {
  uint64 lowerBound = 1;
  int64 upperBound = 2;
}

message StateFeatureType {
  oneof Type { ArrayFeatureType arrayType = 1; }
}

message FeatureType {
  oneof Type {
    Int64FeatureType int64Type = 1;
    DoubleFeatureType doubleType = 2;
    StringFeatureType stringType = 3;
    ArrayFeatureType multiArrayType = 5;
    StateFeatureType stateType = 8;
  }
  bool isOptional = 1000;
}
`;

const MIL_PROTO = `
syntax = "proto3";
package CoreML.Specification.MILSpec;

message Program {
  int64 version = 1;
  map<string, Function> functions = 2;
  string docString = 3;
  map<string, Value> attributes = 4;
}

message Function {
  repeated NamedValueType inputs = 1;
  string opset = 2;
  map<string, Block> block_specializations = 3;
  map<string, Value> attributes = 4;
}

message Block {
  repeated NamedValueType inputs = 1;
  repeated string outputs = 2;
  repeated Operation operations = 3;
  map<string, Value> attributes = 4;
}

message Argument {
  message Binding {
    oneof binding {
      string name = 1;
      Value value = 2;
    }
  }
  repeated Binding arguments = 1;
}

message Operation {
  string type = 1;
  map<string, Argument> inputs = 2;
  repeated NamedValueType outputs = 3;
  repeated Block blocks = 4;
  map<string, Value> attributes = 5;
}

message NamedValueType {
  string name = 1;
  ValueType type = 2;
}

message ValueType {
  oneof type {
    TensorType tensorType = 1;
    ListType listType = 2;
    TupleType tupleType = 3;
    DictionaryType dictionaryType = 4;
    StateType stateType = 5;
  }
}

enum DataType {
  UNUSED_TYPE = 0;
  BOOL = 1;
  STRING = 2;
  FLOAT16 = 10;
  FLOAT32 = 11;
  FLOAT64 = 12;
  BFLOAT16 = 13;
  INT8 = 21;
  INT16 = 22;
  INT32 = 23;
  INT64 = 24;
  INT4 = 25;
  UINT8 = 31;
  UINT16 = 32;
  UINT32 = 33;
  UINT64 = 34;
  UINT4 = 35;
  UINT2 = 36;
  UINT1 = 37;
  UINT6 = 38;
  UINT3 = 39;
  FLOAT8E4M3FN = 40;
  FLOAT8E5M2 = 41;
}

message TensorType {
  DataType dataType = 1;
  int64 rank = 2;
  repeated Dimension dimensions = 3;
  map<string, Value> attributes = 4;
}

message TupleType { repeated ValueType types = 1; }
message ListType { ValueType type = 1; Dimension length = 2; }
message DictionaryType { ValueType keyType = 1; ValueType valueType = 2; }
message StateType { ValueType wrappedType = 1; }

message Dimension {
  message ConstantDimension { uint64 size = 1; }
  message UnknownDimension { bool variadic = 1; }
  oneof dimension {
    ConstantDimension constant = 1;
    UnknownDimension unknown = 2;
  }
}

message Value {
  message ImmediateValue {
    oneof value {
      TensorValue tensor = 1;
      TupleValue tuple = 2;
      ListValue list = 3;
      DictionaryValue dictionary = 4;
    }
  }
  message BlobFileValue {
    string fileName = 1;
    uint64 offset = 2;
  }
  string docString = 1;
  ValueType type = 2;
  oneof value {
    ImmediateValue immediateValue = 3;
    BlobFileValue blobFileValue = 5;
  }
}

message TensorValue {
  message RepeatedFloats { repeated float values = 1; }
  message RepeatedDoubles { repeated double values = 1; }
  message RepeatedInts { repeated int32 values = 1; }
  message RepeatedLongInts { repeated int64 values = 1; }
  message RepeatedBools { repeated bool values = 1; }
  message RepeatedStrings { repeated string values = 1; }
  message RepeatedBytes { bytes values = 1; }
  oneof value {
    RepeatedFloats floats = 1;
    RepeatedInts ints = 2;
    RepeatedBools bools = 3;
    RepeatedStrings strings = 4;
    RepeatedLongInts longInts = 5;
    RepeatedDoubles doubles = 6;
    RepeatedBytes bytes = 7;
  }
}

message TupleValue { repeated Value values = 1; }
message ListValue { repeated Value values = 1; }
message DictionaryValue {
  message KeyValuePair {
    Value key = 1;
    Value value = 2;
  }
  repeated KeyValuePair values = 1;
}
`;

let root: protobuf.Root | undefined;

/** The parsed CoreML packages (lazily, once). */
export function coremlRoot(): protobuf.Root {
  if (root === undefined) {
    root = new protobuf.Root();
    protobuf.parse(MIL_PROTO, root, { keepCase: true });
    protobuf.parse(COREML_PROTO, root, { keepCase: true });
    root.resolveAll();
  }
  return root;
}
