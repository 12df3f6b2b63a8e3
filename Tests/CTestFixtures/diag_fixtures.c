#include "diag_fixtures.h"

__attribute__((noinline)) static long diag_fixture_static_scale(long x) {
    __asm__ volatile("" ::: "memory");
    return x * 7 + 1;
}

uintptr_t diag_fixture_static_function_address(void) { return (uintptr_t)&diag_fixture_static_scale; }

long diag_fixture_call_static(long x) { return diag_fixture_static_scale(x); }

// Uses the result after the call, so the call is not a tail call and this frame stays on the stack.
__attribute__((noinline)) static long diag_fixture_static_caller(long (*function)(long), long x) {
    long result = function(x);
    __asm__ volatile("" ::: "memory");
    return result * 3;
}

long diag_fixture_call_through_static(long (*function)(long), long x) {
    return diag_fixture_static_caller(function, x) + 1;
}

__attribute__((noinline)) void diag_fixture_breakpoint(void) { __asm__ volatile("" ::: "memory"); }

__attribute__((noinline)) long diag_fixture_called_from_jit(long x) {
    diag_fixture_breakpoint();
    __asm__ volatile("" ::: "memory");
    return x + 1;
}
