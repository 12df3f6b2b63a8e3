// Thread facts Swift cannot get: pthread_getattr_np is a GNU extension.
#include "jr_thread.h"

#include <errno.h>
#include <pthread.h>

// A thread's stack never moves, but pthread_getattr_np reads and parses all of /proc/self/maps for the
// main thread (one line per mapping: thousands once the code region has been collected a few times), and
// the compiler asks on every `eval`. So each thread asks once and keeps the answer.
static __thread uintptr_t jr_cached_low;
static __thread uintptr_t jr_cached_high;

int jr_current_thread_stack_bounds(uintptr_t *low, uintptr_t *high) {
    if (jr_cached_high != 0) {
        *low = jr_cached_low;
        *high = jr_cached_high;
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
