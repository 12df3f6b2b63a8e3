#ifndef JR_THREAD_H
#define JR_THREAD_H
#include <stdint.h>

/// The current thread's stack as [*low, *high) (pthread_getattr_np): the range a stack scan or a walk may
/// read. Asked once per thread, then cached (a stack never moves). Returns 0, or -1 with errno set to the
/// pthread error.
int jr_current_thread_stack_bounds(uintptr_t *low, uintptr_t *high);

/// The main thread's stack as [*low, *high) from the process's start facts (AT_EXECFN, RLIMIT_STACK),
/// callable from any thread; what jr_current_thread_stack_bounds answers on the main thread. Returns 0,
/// or -1 (errno ENOENT) for an unlimited stack.
int jr_main_thread_stack_bounds(uintptr_t *low, uintptr_t *high);

#endif
