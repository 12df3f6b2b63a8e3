#include "gc_fixtures.h"

// `volatile` locals force a real stack frame (sub rsp) that a walker must size from unwind info, not rbp.
long jr_gc_fixture_call_back(jr_gc_fixture_callback callback, void *context, long value) {
    volatile long scratch[5];
    for (int i = 0; i < 5; i++) scratch[i] = value + i;
    long result = callback(context);
    return result + scratch[4] - 4;
}
