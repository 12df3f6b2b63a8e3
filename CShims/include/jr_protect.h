#ifndef JR_PROTECT_H
#define JR_PROTECT_H
// The VM's native protect point: cfuncs are called under a setjmp so a raise (or a `break` out of a
// block) inside them, or inside guest code they called back, unwinds straight to the VM, skipping C
// frames. Swift cannot call setjmp itself; this shim holds no logic beyond the jump.
#include "jr_guest_api.h"

/// Calls `fn(api, ec, self, argc, argv)` with a protect frame linked in front of `*top`.
/// Returns 0 and stores the result in `*result`, or 1 when `jr_protect_unwind` jumped back here.
int jr_protect_call(void **top, jr_cfunc fn, const struct jr_guest_api *api, void *ec, jr_value self,
                    int argc, const jr_value *argv, jr_value *result);

/// Jumps back to the protect frame `frame` (the value of `*top`), which then returns 1.
__attribute__((noreturn)) void jr_protect_unwind(void *frame);

#endif
