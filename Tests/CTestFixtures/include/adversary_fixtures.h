#ifndef ADVERSARY_FIXTURES_H
#define ADVERSARY_FIXTURES_H
// Adversarial cfuncs for the guest VM (Tests/CTestFixtures/adversary_cfuncs.c), compiled -O2 without frame
// pointers. Called from JIT code, they collect code, discard it, remove or redefine their caller, call back
// into guest code, raise, switch fibers or run guest code with garbage in rbp. Before each collection they
// ask for, they record ground truth: the return addresses into the code region of every live frame,
// found by following the rbp chain (JIT code and every Swift or CShims frame keep one; these fixtures
// leave rbp alone) plus the chains that fixtures recorded before they broke the chain (garbage rbp) or
// left the stack (fiber switches). A test compares that with what the collector reports it pinned.
#include <stddef.h>
#include <stdint.h>
#include "jr_guest_api.h"

/// One registrable cfunc: guest method name (defined on Object), entry point, arity.
struct jr_adversary_cfunc {
    const char *name;
    jr_cfunc function;
    long arity;
};

/// The cfunc table, NULL-name terminated.
const struct jr_adversary_cfunc *jr_adversary_cfuncs(void);

/// The executable code region [low, high) and its page size: what counts as a JIT return address.
void jr_adversary_set_region(uintptr_t low, uintptr_t high);

/// Ground truth recorded for the collection a fixture is requesting now.
struct jr_adversary_truth {
    /// Return addresses into the region of the live frames, innermost first, one per frame.
    const uintptr_t *return_addresses;
    /// The stack slot holding each of them.
    const uintptr_t *slots;
    size_t count;
    /// Frame records followed on the fixture's own stack (JIT or not), for sanity checks.
    size_t chain_frames;
    /// Chains other fixtures recorded that were still on a stack and added.
    size_t segments_used;
};

/// While a fixture's collection runs on the calling thread: its ground truth (1 returned), else 0.
int jr_adversary_armed_truth(struct jr_adversary_truth *truth);

/// Return addresses into the region along the frame-pointer chain starting at `rbp` (e.g. a parked
/// thread's saved rbp), innermost first; returns how many were stored.
size_t jr_adversary_chain(uintptr_t rbp, uintptr_t *addresses, size_t capacity);

/// Collections fixtures asked for so far.
long jr_adversary_requested_collections(void);

/// Times guest code was re-entered from C with garbage (0x5a5a5a5a5a5a5a5a) in rbp.
long jr_adversary_garbage_rbp_seen(void);

/// Disarms and forgets every recorded chain (between programs).
void jr_adversary_reset(void);

#endif
