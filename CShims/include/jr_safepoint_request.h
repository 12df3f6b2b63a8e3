#ifndef JR_SAFEPOINT_REQUEST_H
#define JR_SAFEPOINT_REQUEST_H
// Requests that the VM do something at its next safepoint (e.g. dump every stack on SIGUSR1), raised from
// a signal handler or another thread. The handler only stores to two words (async-signal-safe); the VM
// polls `jr_safepoint_requested()` at loop back-edges and method entries and calls `jr_safepoint_take()`.
#include <stdint.h>

/// Nonzero while a request is pending (read by the interpreter's safepoints: one relaxed load).
extern volatile int jr_safepoint_request_flag;

static inline int jr_safepoint_requested(void) {
    return __atomic_load_n(&jr_safepoint_request_flag, __ATOMIC_RELAXED);
}

/// Clears the pending request; returns nonzero if one was pending.
int jr_safepoint_take(void);

/// Posts a request (async-signal-safe); also stores 1 to the byte given to `jr_safepoint_set_poke`, so
/// JIT code leaves at its next interrupt check and reaches an interpreter safepoint.
void jr_safepoint_post(void);

/// The byte `jr_safepoint_post` also sets (a JIT's interrupt flag), or NULL.
void jr_safepoint_set_poke(uint8_t *byte);

/// Makes `signal_number` post a request (SA_RESTART, so blocking calls in the program continue) and
/// unblocks it in the calling thread. Returns 0, or -1 with errno from sigaction/pthread_sigmask.
int jr_safepoint_install_signal(int signal_number);
#endif
