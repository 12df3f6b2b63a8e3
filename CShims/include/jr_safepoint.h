#ifndef JR_SAFEPOINT_H
#define JR_SAFEPOINT_H
// Parking a guest thread at a safepoint: its registers are saved (getcontext) in a frame that stays on the
// stack while it waits, so a collector on another thread can walk the parked stack precisely from there.
#include <pthread.h>
#include <ucontext.h>

typedef void (*jr_park_body)(void *argument);

/// Saves the caller's context into `context` (getcontext), then runs `body(argument)`. The saved context
/// describes a live frame (this function's) for as long as `body` runs, so it can be walked with
/// jr_unwind_walk_context from another thread until `body` returns. Returns 0, or -1 with errno set if
/// getcontext failed (then `body` is not run).
int jr_park_call(ucontext_t *context, jr_park_body body, void *argument);

/// An opaque call: the compiler may not move loads or stores across it (a compiler barrier; on x86-64
/// stores are not reordered with stores nor loads with loads, so this is all a publication needs).
void jr_compiler_barrier(void);

typedef void *(*jr_thread_start)(void *argument);

/// Starts a joinable native thread with a `stack_size`-byte stack (0: the default) running
/// `start(argument)`. Returns 0, or -1 with errno set to the pthread error.
int jr_thread_create(pthread_t *thread, size_t stack_size, jr_thread_start start, void *argument);

/// Per-thread slots (`__thread`) the VM and the JIT keep one pointer each in: what the current native
/// thread is running (JR_TLS_MUTATOR: its guest-thread record; JR_TLS_JIT_RUNTIME: the JIT runtime block of
/// the innermost JIT entry). NULL until set on that thread.
enum { JR_TLS_MUTATOR = 0, JR_TLS_JIT_RUNTIME = 1, JR_TLS_SLOTS = 2 };
void *jr_tls_get(int slot);
void jr_tls_set(int slot, void *value);

#endif
