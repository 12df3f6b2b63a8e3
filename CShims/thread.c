// Thread facts Swift cannot get: pthread_getattr_np is a GNU extension.
#include "jr_thread.h"

#include <errno.h>
#include <pthread.h>

int jr_current_thread_stack_bounds(uintptr_t *low, uintptr_t *high) {
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
    return 0;
}
