// Cfuncs written in C against the guest VM's C API (jr_guest_api.h only), registered by the GuestVM
// tests. Looked up by name at run time (dlsym), so this file needs no header of its own.
#define _GNU_SOURCE
#include "jr_guest_api.h"
#include <stdio.h>

/// Raises ArgumentError "raised from C" (never returns).
jr_value jr_guest_fixture_raise(const struct jr_guest_api *api, void *ec, jr_value self, int argc,
                                const jr_value *argv) {
    (void)self; (void)argc; (void)argv;
    char message[64];
    snprintf(message, sizeof message, "raised from C");
    api->raise(ec, "ArgumentError", message);
    return api->nil_value;  // not reached
}

/// Calls `self.callback(argv[0])` and returns its Integer result doubled.
jr_value jr_guest_fixture_call_back(const struct jr_guest_api *api, void *ec, jr_value self, int argc,
                                    const jr_value *argv) {
    volatile long before = 7;  // a C local live across the callback
    jr_value result = api->funcall(ec, self, "callback", argc, argv);
    return api->int_to_value(ec, api->value_to_int(ec, result) * 2 + (before - 7));
}

/// Yields 1, 2, 3, ... up to argv[0], summing the block's Integer results; returns the sum.
jr_value jr_guest_fixture_each_up_to(const struct jr_guest_api *api, void *ec, jr_value self, int argc,
                                     const jr_value *argv) {
    (void)self; (void)argc;
    int64_t limit = api->value_to_int(ec, argv[0]);
    int64_t sum = 0;
    for (int64_t i = 1; i <= limit; i++) {
        jr_value v = api->int_to_value(ec, i);
        jr_value r = api->yield(ec, 1, &v);
        if (api->is_integer(r)) sum += api->value_to_int(ec, r);
    }
    return api->int_to_value(ec, sum);
}

/// Evaluates the String argv[0] at top level.
jr_value jr_guest_fixture_eval(const struct jr_guest_api *api, void *ec, jr_value self, int argc,
                               const jr_value *argv) {
    (void)self; (void)argc;
    char source[512];
    api->string_copy(ec, argv[0], source, sizeof source);
    return api->eval(ec, source);
}

/// Removes method argv[1] (a String) from class argv[0]; returns true.
jr_value jr_guest_fixture_remove_method(const struct jr_guest_api *api, void *ec, jr_value self, int argc,
                                        const jr_value *argv) {
    (void)self; (void)argc;
    char name[128];
    api->string_copy(ec, argv[1], name, sizeof name);
    api->remove_method(ec, argv[0], name);
    return api->true_value;
}

/// Calls `self.recurse` forever through C frames: runaway native recursion the VM must stop.
jr_value jr_guest_fixture_recurse(const struct jr_guest_api *api, void *ec, jr_value self, int argc,
                                  const jr_value *argv) {
    (void)argc; (void)argv;
    volatile char pad[256];  // make each C frame sizeable
    pad[0] = 1;
    jr_value r = api->funcall(ec, self, "recurse", 0, NULL);
    return r + pad[0] - 1;
}

/// Returns argv[0] + argv[1] (fixed arity 2), computed in C.
jr_value jr_guest_fixture_add(const struct jr_guest_api *api, void *ec, jr_value self, int argc,
                              const jr_value *argv) {
    (void)self; (void)argc;
    return api->int_to_value(ec, api->value_to_int(ec, argv[0]) + api->value_to_int(ec, argv[1]));
}

/// One registrable fixture: the guest method name, its entry point and arity.
struct jr_guest_fixture {
    const char *name;
    jr_cfunc function;
    long arity;
};

static const struct jr_guest_fixture fixtures[] = {
    {"c_raise", jr_guest_fixture_raise, 0},
    {"c_call_back", jr_guest_fixture_call_back, 1},
    {"c_each_up_to", jr_guest_fixture_each_up_to, 1},
    {"c_eval", jr_guest_fixture_eval, 1},
    {"c_remove_method", jr_guest_fixture_remove_method, 2},
    {"c_recurse", jr_guest_fixture_recurse, 0},
    {"c_add", jr_guest_fixture_add, 2},
    {NULL, NULL, 0},
};

/// The fixture table, NULL-name terminated. This file has no header (the folder's header belongs to the
/// code-GC fixtures): Swift declares this one no-argument function itself.
const struct jr_guest_fixture *jr_guest_fixtures(void) { return fixtures; }
