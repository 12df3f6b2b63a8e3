#ifndef GC_FIXTURES_H
#define GC_FIXTURES_H
// Fixtures of the CodeGC tests: C frames without frame pointers between JIT code and a Swift callback
// that collects code, as a cfunc called by JIT code would be.

/// A callback the fixture calls (a Swift @convention(c) function in the tests).
typedef long (*jr_gc_fixture_callback)(void *context);

/// Frame-pointer-less, with locals: calls `callback(context)` and returns its result plus `value`.
long jr_gc_fixture_call_back(jr_gc_fixture_callback callback, void *context, long value);

#endif
