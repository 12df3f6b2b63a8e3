#ifndef JR_THREAD_H
#define JR_THREAD_H
#include <stdint.h>

/// The current thread's stack as [*low, *high) (pthread_getattr_np): the range a stack scan or a walk may
/// read. Asked once per thread, then cached (a stack never moves). Returns 0, or -1 with errno set to the
/// pthread error.
int jr_current_thread_stack_bounds(uintptr_t *low, uintptr_t *high);

#endif
