// Minimal stand-in declarations of the CoreML API used by src/native/coreml_session.mm (see
// ../Foundation/Foundation.h). Raw enum values as documented for MLComputeUnits, MLMultiArrayDataType,
// MLFeatureType and MLMultiArrayShapeConstraintType.
#pragma once
#import <Foundation/Foundation.h>
typedef NS_ENUM(NSInteger, MLComputeUnits) {
  MLComputeUnitsCPUOnly = 0, MLComputeUnitsCPUAndGPU = 1, MLComputeUnitsAll = 2, MLComputeUnitsCPUAndNeuralEngine = 3
};
typedef NS_ENUM(NSInteger, MLMultiArrayDataType) {
  MLMultiArrayDataTypeDouble = 0x10000 | 64, MLMultiArrayDataTypeFloat64 = 0x10000 | 64,
  MLMultiArrayDataTypeFloat32 = 0x10000 | 32, MLMultiArrayDataTypeFloat16 = 0x10000 | 16,
  MLMultiArrayDataTypeFloat = 0x10000 | 32, MLMultiArrayDataTypeInt32 = 0x20000 | 32
};
typedef NS_ENUM(NSInteger, MLFeatureType) {
  MLFeatureTypeInvalid = 0, MLFeatureTypeInt64 = 1, MLFeatureTypeDouble = 2, MLFeatureTypeString = 3,
  MLFeatureTypeImage = 4, MLFeatureTypeMultiArray = 5, MLFeatureTypeDictionary = 6, MLFeatureTypeSequence = 7
};
typedef NS_ENUM(NSInteger, MLMultiArrayShapeConstraintType) {
  MLMultiArrayShapeConstraintTypeUnspecified = 1, MLMultiArrayShapeConstraintTypeEnumerated = 2,
  MLMultiArrayShapeConstraintTypeRange = 3
};
@interface MLMultiArrayShapeConstraint : NSObject
@property(readonly) MLMultiArrayShapeConstraintType type;
@property(readonly) NSArray<NSValue *> *sizeRangeForDimension;
@property(readonly) NSArray<NSArray<NSNumber *> *> *enumeratedShapes;
@end
@interface MLMultiArrayConstraint : NSObject
@property(readonly) NSArray<NSNumber *> *shape;
@property(readonly) MLMultiArrayDataType dataType;
@property(readonly) MLMultiArrayShapeConstraint *shapeConstraint;
@end
@interface MLFeatureDescription : NSObject
@property(readonly) NSString *name;
@property(readonly) MLFeatureType type;
@property(readonly, nullable) MLMultiArrayConstraint *multiArrayConstraint;
@end
@interface MLModelDescription : NSObject
@property(readonly) NSDictionary<NSString *, MLFeatureDescription *> *inputDescriptionsByName;
@property(readonly) NSDictionary<NSString *, MLFeatureDescription *> *outputDescriptionsByName;
@end
@interface MLMultiArray : NSObject
@property(readonly) void *dataPointer API_DEPRECATED("use getBytesWithHandler", macos(10.13, 100000));
@property(readonly) MLMultiArrayDataType dataType;
@property(readonly) NSArray<NSNumber *> *shape;
@property(readonly) NSArray<NSNumber *> *strides;
@property(readonly) NSInteger count;
- (nullable instancetype)initWithShape:(NSArray<NSNumber *> *)shape dataType:(MLMultiArrayDataType)dataType error:(NSError **)error;
- (nullable instancetype)initWithDataPointer:(void *)dataPointer shape:(NSArray<NSNumber *> *)shape dataType:(MLMultiArrayDataType)dataType strides:(NSArray<NSNumber *> *)strides deallocator:(void (^_Nullable)(void *bytes))deallocator error:(NSError **)error;
- (void)getBytesWithHandler:(void (^)(const void *bytes, NSInteger size))handler;
- (void)getMutableBytesWithHandler:(void (^)(void *mutableBytes, NSInteger size, NSArray<NSNumber *> *strides))handler;
@end
@interface MLFeatureValue : NSObject
+ (instancetype)featureValueWithMultiArray:(MLMultiArray *)value;
@property(readonly, nullable) MLMultiArray *multiArrayValue;
@end
@protocol MLFeatureProvider
- (nullable MLFeatureValue *)featureValueForName:(NSString *)featureName;
@end
@interface MLDictionaryFeatureProvider : NSObject <MLFeatureProvider>
- (nullable instancetype)initWithDictionary:(NSDictionary<NSString *, id> *)dictionary error:(NSError **)error;
@end
@interface MLPredictionOptions : NSObject
@property(readwrite, copy) NSDictionary<NSString *, id> *outputBackings;
@end
@interface MLModelConfiguration : NSObject
@property(readwrite) MLComputeUnits computeUnits;
@property(readwrite) BOOL allowLowPrecisionAccumulationOnGPU;
@property(readwrite, nullable, copy) NSString *functionName;
@end
@interface MLModel : NSObject
@property(readonly) MLModelDescription *modelDescription;
+ (nullable instancetype)modelWithContentsOfURL:(NSURL *)url configuration:(MLModelConfiguration *)configuration error:(NSError **)error;
+ (nullable NSURL *)compileModelAtURL:(NSURL *)modelURL error:(NSError **)error API_DEPRECATED("async", macos(10.13, 100000));
- (nullable id<MLFeatureProvider>)predictionFromFeatures:(id<MLFeatureProvider>)input options:(MLPredictionOptions *)options error:(NSError **)error;
@end
