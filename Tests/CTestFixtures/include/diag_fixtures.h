#ifndef DIAG_FIXTURES_H
#define DIAG_FIXTURES_H
// C functions for the JITDiagnostics tests: a static function only `.symtab` can name, and a C callee of
// JIT code with a function to stop in (a gdb breakpoint target).
#include <stdint.h>

/// Address of `diag_fixture_static_scale`, a static (local-binding) function dladdr cannot name.
uintptr_t diag_fixture_static_function_address(void);

/// Calls the static function (so it is really compiled): returns x * 7 + 1.
long diag_fixture_call_static(long x);

/// Calls `function(x)` through a static (local-binding) C function, so a stack walk from `function` has a
/// frame only `.symtab` can name (`diag_fixture_static_caller`); returns function(x) * 3 + 1.
long diag_fixture_call_through_static(long (*function)(long), long x);

/// Where gdb stops: an empty non-inlined function.
void diag_fixture_breakpoint(void);

/// Called from JIT code: calls diag_fixture_breakpoint and returns x + 1.
long diag_fixture_called_from_jit(long x);

#endif
