#ifndef CSHIMS_H
#define CSHIMS_H
// Thin wrappers over OS facilities Swift cannot reach directly (macros, varargs, libunwind).
// Every symbol is prefixed `jr_`; errno is left intact for the Swift side to turn into typed errors.
#include <stddef.h>
#include <stdint.h>
#include "jr_guest_api.h"
#include "jr_protect.h"
#endif
