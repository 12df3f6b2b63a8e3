#include "jr_protect.h"
#include <setjmp.h>

// One protect frame lives in `jr_protect_call`'s own C stack frame.
struct jr_protect_frame {
    jmp_buf buf;
    void *previous;
};

int jr_protect_call(void **top, jr_cfunc fn, const struct jr_guest_api *api, void *ec, jr_value self,
                    int argc, const jr_value *argv, jr_value *result) {
    struct jr_protect_frame frame;
    frame.previous = *top;
    *top = &frame;
    if (setjmp(frame.buf) == 0) {
        jr_value v = fn(api, ec, self, argc, argv);
        *top = frame.previous;
        *result = v;
        return 0;
    }
    *top = frame.previous;
    return 1;
}

void jr_protect_unwind(void *frame) {
    longjmp(((struct jr_protect_frame *)frame)->buf, 1);
}
