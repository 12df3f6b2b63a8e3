// Safepoint parking, compiler barrier and thread creation for guest threads (see jr_safepoint.h).
#include "jr_safepoint.h"

#include <errno.h>

// noinline + a volatile local: the frame (and the context saved in it) stays put while `body` runs.
__attribute__((noinline)) int jr_park_call(ucontext_t *context, jr_park_body body, void *argument) {
    volatile int keep = 0;
    if (getcontext(context) != 0) return -1;
    body(argument);
    return keep;
}

__attribute__((noinline)) void jr_compiler_barrier(void) { __asm__ __volatile__("" ::: "memory"); }

int jr_thread_create(pthread_t *thread, size_t stack_size, jr_thread_start start, void *argument) {
    pthread_attr_t attributes;
    int rc = pthread_attr_init(&attributes);
    if (rc == 0 && stack_size > 0) rc = pthread_attr_setstacksize(&attributes, stack_size);
    if (rc == 0) rc = pthread_create(thread, &attributes, start, argument);
    pthread_attr_destroy(&attributes);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return 0;
}

static __thread void *tls_slots[JR_TLS_SLOTS];

void *jr_tls_get(int slot) { return tls_slots[slot]; }

void jr_tls_set(int slot, void *value) { tls_slots[slot] = value; }
