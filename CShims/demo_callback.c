#include <stddef.h>
#include "jr_demo_callback.h"

/// Yields to the block once and returns its value plus a C local that lives across the callback.
static jr_value call_back_into_guest(const struct jr_guest_api *api, void *ec, jr_value self, int argc,
                                     const jr_value *argv) {
    (void)self; (void)argc; (void)argv;
    volatile int64_t kept = 0;  // a C local live across the call back into guest code
    jr_value result = api->yield(ec, 0, NULL);
    if (!api->is_integer(result)) return result;
    return api->int_to_value(ec, api->value_to_int(ec, result) + kept);
}

jr_cfunc jr_demo_callback_function(void) { return call_back_into_guest; }
