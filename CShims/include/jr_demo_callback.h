#ifndef JR_DEMO_CALLBACK_H
#define JR_DEMO_CALLBACK_H
// A C cfunc for `jitstack demo`'s "C callback collecting its caller" scenario: it yields to its block
// from C, so the block's guest code (which may redefine the JIT-compiled caller and collect code) runs
// with a C frame between it and the caller's JIT frame.
#include "jr_guest_api.h"

/// The cfunc (a static C function, named in stack dumps through the executable's .symtab).
jr_cfunc jr_demo_callback_function(void);
#endif
