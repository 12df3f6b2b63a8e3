#include "gc_fixtures.h"

// `volatile` locals force a real stack frame (sub rsp) that a walker must size from unwind info, not rbp.
long jr_gc_fixture_call_back(jr_gc_fixture_callback callback, void *context, long value) {
    volatile long scratch[5];
    for (int i = 0; i < 5; i++) scratch[i] = value + i;
    long result = callback(context);
    return result + scratch[4] - 4;
}

long jr_gc_fixture_park(ucontext_t *context, jr_gc_fixture_callback wait, void *wait_context) {
    volatile long scratch[3];
    scratch[0] = 0;
    if (getcontext(context) != 0) return -1;
    long result = wait(wait_context);
    return result + scratch[0];
}
