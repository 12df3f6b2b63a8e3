#ifndef JR_BENCH_H
#define JR_BENCH_H
// What the stack-walk benchmarks need from C: getcontext (returns twice, so Swift cannot call it) and the
// caller's frame pointer.
#include <ucontext.h>

typedef void (*jr_bench_callback)(void *argument);

/// Saves the calling thread's registers into `context`, then calls `wait(argument)` and returns when it
/// does: while `wait` blocks, the thread is parked and `context` is a walkable snapshot of its stack.
/// Returns 0, or -1 with errno set if getcontext fails.
int jr_bench_park(ucontext_t *context, jr_bench_callback wait, void *argument);

/// The frame pointer (rbp) of the caller of this function: the head of its frame-pointer chain.
void *jr_bench_caller_frame(void);
#endif
