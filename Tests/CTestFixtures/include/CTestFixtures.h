#ifndef CTESTFIXTURES_H
#define CTESTFIXTURES_H
// C functions the tests call from JIT code. Compiled -O2 with the frame pointer really omitted
// (-mframe-pointer=none; a test checks the disassembly), so they are the adversarial callers and callees a
// stack walk must get through: their frames have locals and never set up rbp.
#include <stddef.h>
#include <stdint.h>
#include "CShims.h"
#include "gc_fixtures.h"
#include "diag_fixtures.h"
#include "adversary_fixtures.h"

/// Returns a * 3 + b: a C function JIT code calls and returns from.
long fixture_scale_and_add(long a, long b);

typedef struct fixture_link fixture_link;
/// Every function of a call chain takes its own link and calls `link->next->function(link->next)`.
typedef long (*fixture_link_function)(fixture_link *link);

/// One step of a call chain mixing JIT frames and C frames. JIT code reads `function` at offset 0 and
/// `next` at offset 8, so those two fields come first.
struct fixture_link {
    fixture_link_function function;
    fixture_link *next;
    /// Where the leaf stores its walk.
    jr_native_frame *frames;
    size_t capacity;
    jr_walk_result result;
    /// If not NULL: the word each frame's `ip_slot` held during the walk (0 where the slot is 0).
    uintptr_t *slot_values;
    /// Where the leaf stores its unw_backtrace return addresses (capacity `capacity`), if not NULL.
    void **addresses;
    int address_count;
    /// The fiber a yielding leaf suspends; the chain's result once a fiber running it finishes.
    jr_fiber *fiber;
    long fiber_result;
};

/// A frame-pointer-less C frame with locals in the middle of a chain: calls the next link, returns its
/// result plus one.
long fixture_call_next_without_frame_pointer(fixture_link *link);

/// The chain's leaf, frame-pointer-less with locals: walks the stack with jr_unwind_walk_current into
/// `link->frames`, stores the result in `link->result`, reads each frame's ip_slot while the stack is still
/// there into `link->slot_values`, then (if `link->addresses`) takes the
/// unw_backtrace fast path from the same frame into `link->addresses`. Returns the frame count.
long fixture_walk_without_frame_pointer(fixture_link *link);

/// Like fixture_walk_without_frame_pointer, but saves its context with getcontext and walks that
/// (jr_unwind_walk_context), as a parked thread or suspended fiber will be walked. Frame 0 is the saved pc.
long fixture_walk_saved_context_without_frame_pointer(fixture_link *link);

/// A frame-pointer-less leaf that suspends `link->fiber` (jr_fiber_yield) and, once resumed, returns 5.
long fixture_yield_without_frame_pointer(fixture_link *link);

/// A fiber entry running a chain: `argument` is its first link; stores the chain's result in that link's
/// `fiber_result`.
void fixture_fiber_run_chain(jr_fiber *fiber, void *argument);

/// A fiber entry that yields `*(long *)argument` times, counting down to zero.
void fixture_fiber_count_down(jr_fiber *fiber, void *argument);

#endif
