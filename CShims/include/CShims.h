#ifndef CSHIMS_H
#define CSHIMS_H
// Thin wrappers over OS facilities Swift cannot reach directly (macros, varargs, libunwind).
// Every symbol is prefixed `jr_`. A wrapper that fails returns -1 (or NULL) and leaves errno as the failing
// call set it, so the Swift side can turn it into a typed error naming the call.
#include "jr_memory.h"
#include "jr_unwind.h"
#include "jr_thread.h"
#include "jr_elf.h"
#include "jr_symbols.h"
#include "jr_fiber.h"
#include "jr_guest_api.h"
#include "jr_protect.h"
#include "jr_gdb_jit.h"
#include "jr_elf_symbols.h"
#include "jr_crash.h"
#include "jr_safepoint.h"
#include "jr_safepoint_request.h"
#include "jr_prefetch.h"
#include "jr_demo_callback.h"
#endif
