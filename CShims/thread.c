// Thread facts Swift cannot get: pthread_getattr_np is a GNU extension.
#include "jr_thread.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

// A thread's stack never moves, but pthread_getattr_np reads and parses all of /proc/self/maps for the
// main thread (one line per mapping: thousands once the code region has been collected a few times), and
// the compiler asks on every `eval`. So each thread asks once and keeps the answer.
extern void *__libc_stack_end;

static __thread uintptr_t jr_cached_low;
static __thread uintptr_t jr_cached_high;

int jr_main_thread_stack_bounds(uintptr_t *low, uintptr_t *high) {
    // pthread_getattr_np's answer for the main thread without its read and parse of /proc/self/maps (a
    // noticeable part of a short run's start-up). The kernel copies the executable's name first, to the very
    // top of the new stack mapping (AT_EXECFN), so the page above its end is the mapping's end; the stack
    // may grow to RLIMIT_STACK below that, which the mmap layout keeps free for a finite limit (glibc cuts
    // it at a closer mapping, which that layout does not place). Like glibc, the top is the page above
    // __libc_stack_end (argv and the environment lie above it). Unknown: an unlimited stack, no AT_EXECFN.
    const char *name = (const char *)getauxval(AT_EXECFN);
    struct rlimit limit;
    long page = sysconf(_SC_PAGESIZE);
    if (name == NULL || page <= 0 || getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
        errno = ENOENT;
        return -1;
    }
    uintptr_t top = ((uintptr_t)name + strlen(name) + 1 + sizeof(void *) + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t size = (uintptr_t)limit.rlim_cur & ~((uintptr_t)page - 1);
    uintptr_t stack_end = ((uintptr_t)__libc_stack_end & ~((uintptr_t)page - 1)) + (uintptr_t)page;
    if (size >= top || stack_end > top || top - size >= stack_end) {
        errno = ENOENT;
        return -1;
    }
    *low = top - size;
    *high = stack_end;
    return 0;
}

int jr_current_thread_stack_bounds(uintptr_t *low, uintptr_t *high) {
    if (jr_cached_high != 0) {
        *low = jr_cached_low;
        *high = jr_cached_high;
        return 0;
    }
    // The main thread runs on the main stack; a child forked from another thread has the main thread's
    // id but runs on that thread's stack, so the frame's address decides too.
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    uintptr_t main_low = 0, main_high = 0;
    if (getpid() == (pid_t)syscall(SYS_gettid) && jr_main_thread_stack_bounds(&main_low, &main_high) == 0 &&
        main_low <= here && here < main_high) {
        *low = jr_cached_low = main_low;
        *high = jr_cached_high = main_high;
        return 0;
    }
    pthread_attr_t attributes;
    int rc = pthread_getattr_np(pthread_self(), &attributes);
    if (rc != 0) {
        errno = rc;  // pthread calls return the error instead of setting errno
        return -1;
    }
    void *base = NULL;
    size_t size = 0;
    rc = pthread_attr_getstack(&attributes, &base, &size);
    pthread_attr_destroy(&attributes);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    *low = (uintptr_t)base;
    *high = (uintptr_t)base + size;
    jr_cached_low = *low;
    jr_cached_high = *high;
    return 0;
}
