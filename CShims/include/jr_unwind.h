#ifndef JR_UNWIND_H
#define JR_UNWIND_H
// Precise native stack walks with libunwind, and the registration that makes them exact through JIT code.
// unw_getcontext / unw_init_local / unw_step are macros, so every walk happens here in C.
#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>

/// One frame of a walk.
typedef struct jr_native_frame {
    /// The frame's instruction pointer: a return address for every frame a walk reports, except frame 0
    /// of a walk started from a saved context, which is that context's program counter.
    uintptr_t ip;
    /// The frame's stack pointer: rsp in this frame at the call site, i.e. the callee's CFA.
    uintptr_t sp;
    /// Address of the stack slot holding `ip` (what a collector rewrites or checks), or 0 when libunwind
    /// knows no memory slot for it (frame 0 of a context walk).
    uintptr_t ip_slot;
} jr_native_frame;

/// How a walk ended.
typedef enum jr_walk_end {
    /// unw_step reported the end of the stack: every frame was stored.
    JR_WALK_COMPLETE = 0,
    /// The caller's array filled up before the stack ended.
    JR_WALK_TRUNCATED = 1,
    /// libunwind failed mid-walk (see `unw_error`): the stored frames are right, the rest are missing.
    JR_WALK_FAILED = 2,
} jr_walk_end;

/// Result of a walk: `count` frames stored (-1 if the walk could not start: errno = EINVAL, unw_error set).
typedef struct jr_walk_result {
    long count;
    jr_walk_end end;
    /// The libunwind error code (negative UNW_E*) that stopped or prevented the walk, else 0.
    int unw_error;
} jr_walk_result;

/// Walks the calling thread's stack with unw_step. Frame 0 is the caller of this function (its ip is the
/// return address into the caller); the first `skip` frames after that are dropped.
jr_walk_result jr_unwind_walk_current(jr_native_frame *frames, size_t capacity, size_t skip);

/// Walks a stack that is not running: one saved by getcontext/swapcontext (a parked thread or a suspended
/// fiber). On x86-64 a ucontext_t is an unw_context_t. The context is only read.
jr_walk_result jr_unwind_walk_context(ucontext_t *context, jr_native_frame *frames, size_t capacity,
                                      size_t skip);

/// Fast path (unw_backtrace: per-thread cache, no syscalls): the return addresses of the calling thread,
/// starting with the return address into this function's caller. Returns the number stored.
int jr_unwind_backtrace(void **addresses, int capacity);

/// A region-wide unwind-table registration; opaque, owned by the caller until cancelled.
typedef struct jr_unwind_registration jr_unwind_registration;

/// Registers [low, high) with libunwind (_U_dyn_register, UNW_INFO_FORMAT_IP_OFFSET) with one FDE saying
/// CFA = rbp + 16, return address at CFA - 8, rbp saved at CFA - 16: right for every call site of JIT code
/// that runs with an rbp frame (`push rbp; mov rbp, rsp` before any call). Register before code in the
/// range runs. Returns NULL with errno = ENOMEM or EINVAL (empty or inverted range).
jr_unwind_registration *jr_unwind_register_region(uintptr_t low, uintptr_t high);

/// Cancels a registration (_U_dyn_cancel) and flushes libunwind's cached rules for the range. The handle's
/// memory is kept, never freed, so a walk racing with the cancel (libunwind reads its list without a lock)
/// cannot read freed memory; still, cancel only when no walk needs the range.
void jr_unwind_cancel_region(jr_unwind_registration *registration);

#endif
