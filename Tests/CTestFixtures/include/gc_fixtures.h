#ifndef GC_FIXTURES_H
#define GC_FIXTURES_H
// Fixtures of the CodeGC tests: C frames without frame pointers between JIT code and a Swift callback
// that collects code, as a cfunc called by JIT code would be.

/// A callback the fixture calls (a Swift @convention(c) function in the tests).
typedef long (*jr_gc_fixture_callback)(void *context);

/// Frame-pointer-less, with locals: calls `callback(context)` and returns its result plus `value`.
long jr_gc_fixture_call_back(jr_gc_fixture_callback callback, void *context, long value);

#include <ucontext.h>

/// Parks the calling thread the way a VM parks at a safepoint: saves its context in `context`
/// (getcontext, in this frame, which stays live while parked) and then calls `wait(wait_context)` (which
/// blocks, e.g. on a lock). A collector may walk `context` precisely while `wait` blocks. Returns what `wait`
/// returned, or -1 if getcontext failed.
long jr_gc_fixture_park(ucontext_t *context, jr_gc_fixture_callback wait, void *wait_context);

#endif
