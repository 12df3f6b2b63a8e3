#include "CTestFixtures.h"

#include <ucontext.h>

long fixture_scale_and_add(long a, long b) { return a * 3 + b; }

// `volatile` locals force a real stack frame (sub rsp) that a walker must size from unwind info, not rbp.
long fixture_call_next_without_frame_pointer(fixture_link *link) {
    volatile long scratch[7];
    for (int i = 0; i < 7; i++) scratch[i] = (long)link + i;
    long result = link->next->function(link->next);
    return result + 1 + (scratch[3] - scratch[2] - 1);
}

long fixture_walk_without_frame_pointer(fixture_link *link) {
    volatile char scratch[40];
    scratch[0] = 1;
    link->result = jr_unwind_walk_current(link->frames, link->capacity, 0);
    for (long i = 0; link->slot_values != NULL && i < link->result.count; i++)
        link->slot_values[i] = link->frames[i].ip_slot ? *(const uintptr_t *)link->frames[i].ip_slot : 0;
    if (link->addresses != NULL) link->address_count = jr_unwind_backtrace(link->addresses, (int)link->capacity);
    return link->result.count + scratch[0] - 1;
}

long fixture_walk_saved_context_without_frame_pointer(fixture_link *link) {
    ucontext_t context;
    if (getcontext(&context) != 0) return -1;
    link->result = jr_unwind_walk_context(&context, link->frames, link->capacity, 0);
    for (long i = 0; link->slot_values != NULL && i < link->result.count; i++)
        link->slot_values[i] = link->frames[i].ip_slot ? *(const uintptr_t *)link->frames[i].ip_slot : 0;
    return link->result.count;
}

long fixture_yield_without_frame_pointer(fixture_link *link) {
    volatile long scratch[3];
    scratch[0] = 5;
    if (jr_fiber_yield(link->fiber) != 0) return -1;
    return scratch[0];
}

void fixture_fiber_run_chain(jr_fiber *fiber, void *argument) {
    (void)fiber;
    fixture_link *first = argument;
    first->fiber_result = first->function(first);
}

void fixture_fiber_count_down(jr_fiber *fiber, void *argument) {
    long *remaining = argument;
    while (*remaining > 0) {
        (*remaining)--;
        jr_fiber_yield(fiber);
    }
}
