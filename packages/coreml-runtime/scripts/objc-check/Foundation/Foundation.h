#pragma once
// Minimal stand-in declarations of the Foundation API that src/native/coreml_session.mm uses, written
// from Apple's documentation, so scripts/check-objc.mjs can syntax- and type-check the .mm on Linux.
// NOT the SDK: signatures of anything not used there are absent; the macOS build is the real check.
typedef long NSInteger;
typedef unsigned long NSUInteger;
typedef signed char BOOL;
#define YES ((BOOL)1)
#define NO ((BOOL)0)
#define nil nullptr
#define NS_ENUM(_type, _name) enum _name : _type _name; enum _name : _type
#define API_AVAILABLE(...)
#define API_DEPRECATED(...) __attribute__((deprecated))
typedef struct _NSRange { NSUInteger location; NSUInteger length; } NSRange;
typedef NS_ENUM(NSInteger, NSComparisonResult) { NSOrderedAscending = -1, NSOrderedSame, NSOrderedDescending };
@class NSString, NSError;
@protocol NSObject
@end
__attribute__((objc_root_class))
@interface NSObject <NSObject> {
  Class isa;
}
+ (instancetype)alloc;
+ (instancetype)new;
- (instancetype)init;
@end
typedef struct { unsigned long state; id __unsafe_unretained *itemsPtr; unsigned long *mutationsPtr; unsigned long extra[5]; } NSFastEnumerationState;
@protocol NSFastEnumeration
- (NSUInteger)countByEnumeratingWithState:(NSFastEnumerationState *)state objects:(id __unsafe_unretained[])buffer count:(NSUInteger)len;
@end
@interface NSString : NSObject
+ (instancetype)stringWithUTF8String:(const char *)s;
+ (instancetype)stringWithFormat:(NSString *)format, ...;
@property(readonly) const char *UTF8String;
@property(readonly, copy) NSString *lowercaseString;
- (NSComparisonResult)compare:(NSString *)other;
- (BOOL)isEqualToString:(NSString *)other;
@end
@interface NSNumber : NSObject
+ (NSNumber *)numberWithLongLong:(long long)v;
+ (NSNumber *)numberWithLong:(long)v;
@property(readonly) long long longLongValue;
@end
@interface NSValue : NSObject
@property(readonly) NSRange rangeValue;
@end
@interface NSArray<__covariant ObjectType> : NSObject <NSFastEnumeration>
@property(readonly) NSUInteger count;
- (ObjectType)objectAtIndexedSubscript:(NSUInteger)idx;
- (NSArray<ObjectType> *)sortedArrayUsingSelector:(SEL)comparator;
@end
@interface NSMutableArray<ObjectType> : NSArray<ObjectType>
+ (instancetype)arrayWithCapacity:(NSUInteger)n;
- (void)addObject:(ObjectType)o;
@end
@interface NSSet<__covariant ObjectType> : NSObject <NSFastEnumeration>
@end
@interface NSDictionary<__covariant KeyType, __covariant ObjectType> : NSObject <NSFastEnumeration>
@property(readonly) NSUInteger count;
@property(readonly, copy) NSArray<KeyType> *allKeys;
- (ObjectType _Nullable)objectForKeyedSubscript:(KeyType)key;
@end
@interface NSMutableDictionary<KeyType, ObjectType> : NSDictionary<KeyType, ObjectType>
+ (instancetype)dictionary;
- (void)setObject:(ObjectType)obj forKeyedSubscript:(KeyType)key;
@end
@interface NSURL : NSObject
+ (NSURL *)fileURLWithPath:(NSString *)path;
@property(readonly, copy) NSString *pathExtension;
@end
@interface NSError : NSObject
@property(readonly, copy) NSString *localizedDescription;
@end
@interface NSException : NSObject
@property(readonly, copy) NSString *name;
@property(readonly, copy) NSString *reason;
@end
@interface NSFileManager : NSObject
@property(class, readonly, strong) NSFileManager *defaultManager;
- (BOOL)removeItemAtURL:(NSURL *)URL error:(NSError **)error;
@end
