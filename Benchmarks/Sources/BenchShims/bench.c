#include "jr_bench.h"

int jr_bench_park(ucontext_t *context, jr_bench_callback wait, void *argument) {
    volatile int keep_frame = 0;
    if (getcontext(context) != 0) return -1;
    wait(argument);
    return keep_frame;
}

__attribute__((noinline)) void *jr_bench_caller_frame(void) {
    // Frame 0 is this function's own rbp frame; the word it points at is the caller's rbp.
    return *(void **)__builtin_frame_address(0);
}
