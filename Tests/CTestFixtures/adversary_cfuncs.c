// Adversarial cfuncs: see adversary_fixtures.h. Every function here is compiled -O2 with
// -mframe-pointer=none (the test suite checks the disassembly: no rbp frame, and rbp untouched except by
// the two inline asm sequences below that read it or deliberately fill it with garbage).
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "adversary_fixtures.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { TRUTH_CAPACITY = 8192, SEGMENT_CAPACITY = 64, MAPS_CAPACITY = 1 << 20 };

static uintptr_t region_low, region_high;

void jr_adversary_set_region(uintptr_t low, uintptr_t high) {
    region_low = low;
    region_high = high;
}

// MARK: Stack mappings

// /proc/self/maps, read once per truth: a chain never leaves the mapping it starts in (a fiber's chain
// ends in a stale rbp saved by getcontext on another stack), and recorded slots are read only while
// their stack is still mapped.
static char maps_text[MAPS_CAPACITY];
static size_t maps_length;

static void read_maps(void) {
    maps_length = 0;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    for (;;) {
        ssize_t n = read(fd, maps_text + maps_length, sizeof maps_text - 1 - maps_length);
        if (n <= 0) break;
        maps_length += (size_t)n;
    }
    close(fd);
    maps_text[maps_length] = 0;
}

// The readable-writable mapping holding `address`, from the last read_maps: 1 and its bounds, else 0.
static int writable_mapping(uintptr_t address, uintptr_t *low, uintptr_t *high) {
    const char *line = maps_text;
    while (line < maps_text + maps_length) {
        char *end;
        uintptr_t start = strtoull(line, &end, 16);
        uintptr_t stop = strtoull(end + 1, &end, 16);
        int writable = end[1] == 'r' && end[2] == 'w';
        if (writable && start <= address && address < stop) {
            *low = start;
            *high = stop;
            return 1;
        }
        const char *next = strchr(line, '\n');
        if (next == NULL) break;
        line = next + 1;
    }
    return 0;
}

// MARK: Chains

// The caller's frame pointer chain head: these functions never touch rbp, so it still holds the innermost
// frame record of a caller that keeps one.
static inline uintptr_t __attribute__((always_inline)) current_rbp(void) {
    uintptr_t value;
    __asm__ volatile("mov %%rbp, %0" : "=r"(value));
    return value;
}

static int is_jit_return(uintptr_t address) { return address > region_low && address <= region_high; }

// Follows frame records from `rbp` while they stay in rbp's mapping and go up the stack; keeps return
// addresses into the region and their slots. Returns the number of records followed.
static size_t follow_chain(uintptr_t rbp, uintptr_t *addresses, uintptr_t *slots, size_t *count, size_t capacity) {
    uintptr_t low, high;
    if (!writable_mapping(rbp, &low, &high)) return 0;
    size_t records = 0;
    while (rbp >= low && rbp + 16 <= high && (rbp & 7) == 0) {
        const uintptr_t *record = (const uintptr_t *)rbp;
        records++;
        if (is_jit_return(record[1]) && *count < capacity) {
            addresses[*count] = record[1];
            slots[*count] = rbp + 8;
            (*count)++;
        }
        if (record[0] <= rbp) break;
        rbp = record[0];
    }
    return records;
}

// A chain a fixture recorded before breaking its own (garbage rbp) or leaving its stack (fiber switch).
struct segment {
    int active;
    size_t count;
    uintptr_t addresses[TRUTH_CAPACITY];
    uintptr_t slots[TRUTH_CAPACITY];
};

static struct segment *segments[SEGMENT_CAPACITY];

// Records the chain from here in a free segment; returns its index (or -1 when all are in use).
static int __attribute__((noinline)) segment_open(uintptr_t rbp) {
    for (int i = 0; i < SEGMENT_CAPACITY; i++) {
        if (segments[i] == NULL) segments[i] = calloc(1, sizeof(struct segment));
        if (segments[i] == NULL) return -1;
        if (segments[i]->active) continue;
        read_maps();
        segments[i]->count = 0;
        follow_chain(rbp, segments[i]->addresses, segments[i]->slots, &segments[i]->count, TRUTH_CAPACITY);
        segments[i]->active = 1;
        return i;
    }
    return -1;
}

static void segment_close(int index) {
    if (index >= 0) segments[index]->active = 0;
}

// MARK: Ground truth

static uintptr_t truth_addresses[TRUTH_CAPACITY];
static uintptr_t truth_slots[TRUTH_CAPACITY];
static size_t truth_count, truth_chain_frames, truth_segments_used;
static int truth_armed;
static pthread_t truth_thread;
static long requested_collections;

static int slot_known(uintptr_t slot) {
    for (size_t i = 0; i < truth_count; i++) {
        if (truth_slots[i] == slot) return 1;
    }
    return 0;
}

// The truth for a collection about to run from this fixture: its own chain, then every recorded chain
// whose slots still hold their return addresses (a segment left behind by a raise that skipped its
// fixture's close, or on a freed fiber stack, no longer does).
static void __attribute__((noinline)) record_truth(uintptr_t rbp) {
    read_maps();
    truth_count = 0;
    truth_segments_used = 0;
    truth_chain_frames = follow_chain(rbp, truth_addresses, truth_slots, &truth_count, TRUTH_CAPACITY);
    for (int i = 0; i < SEGMENT_CAPACITY; i++) {
        struct segment *segment = segments[i];
        if (segment == NULL || !segment->active) continue;
        int used = 0;
        for (size_t j = 0; j < segment->count; j++) {
            uintptr_t low, high, slot = segment->slots[j];
            if (!writable_mapping(slot, &low, &high) || *(const uintptr_t *)slot != segment->addresses[j]) continue;
            if (slot_known(slot) || truth_count == TRUTH_CAPACITY) continue;
            truth_addresses[truth_count] = segment->addresses[j];
            truth_slots[truth_count] = slot;
            truth_count++;
            used = 1;
        }
        truth_segments_used += (size_t)used;
    }
    truth_thread = pthread_self();
    truth_armed = 1;
    requested_collections++;
}

int jr_adversary_armed_truth(struct jr_adversary_truth *truth) {
    // Another thread's collection may run while a fixture waits for the VM lock to run its own.
    if (!truth_armed || !pthread_equal(truth_thread, pthread_self())) return 0;
    truth->return_addresses = truth_addresses;
    truth->slots = truth_slots;
    truth->count = truth_count;
    truth->chain_frames = truth_chain_frames;
    truth->segments_used = truth_segments_used;
    return 1;
}

size_t jr_adversary_chain(uintptr_t rbp, uintptr_t *addresses, size_t capacity) {
    uintptr_t slots[TRUTH_CAPACITY];
    size_t count = 0;
    read_maps();
    follow_chain(rbp, addresses, slots, &count, capacity < TRUTH_CAPACITY ? capacity : TRUTH_CAPACITY);
    return count;
}

long jr_adversary_requested_collections(void) { return requested_collections; }

void jr_adversary_reset(void) {
    truth_armed = 0;
    requested_collections = 0;
    for (int i = 0; i < SEGMENT_CAPACITY; i++) {
        if (segments[i] != NULL) segments[i]->active = 0;
    }
}

// Records the truth and calls `JIT.<name>` (code_gc or discard_all); returns its result.
static jr_value __attribute__((noinline)) collect_with_truth(const struct jr_guest_api *api, void *ec, uintptr_t rbp,
                                                             const char *name) {
    jr_value jit = api->get_constant(ec, "JIT");
    record_truth(rbp);
    jr_value freed = api->funcall(ec, jit, name, 0, NULL);
    truth_armed = 0;
    return freed;
}

static int truthy(const struct jr_guest_api *api, jr_value v) { return v != api->nil_value && v != api->false_value; }

// MARK: Cfuncs

/// `adv_gc`: collects code now (JIT.code_gc) from inside C; returns the pages freed.
static jr_value adv_gc(const struct jr_guest_api *api, void *ec, jr_value self, int argc, const jr_value *argv) {
    (void)self; (void)argc; (void)argv;
    volatile long scratch[4] = {1, 2, 3, 4};  // a real frame of its own on rsp
    jr_value freed = collect_with_truth(api, ec, current_rbp(), "code_gc");
    return freed + (jr_value)(scratch[3] - 4);
}

/// `adv_discard_all`: JIT.discard_all from inside C; returns the pages freed.
static jr_value adv_discard_all(const struct jr_guest_api *api, void *ec, jr_value self, int argc, const jr_value *argv) {
    (void)self; (void)argc; (void)argv;
    volatile long scratch[4] = {1, 2, 3, 4};
    jr_value freed = collect_with_truth(api, ec, current_rbp(), "discard_all");
    return freed + (jr_value)(scratch[3] - 4);
}

/// `adv_remove_and_gc(klass, name, go)`: when `go`, removes `klass#name` (typically the calling method)
/// and collects; returns the pages freed (0 when not `go`).
static jr_value adv_remove_and_gc(const struct jr_guest_api *api, void *ec, jr_value self, int argc, const jr_value *argv) {
    (void)self; (void)argc;
    volatile char name[128];
    if (!truthy(api, argv[2])) return api->int_to_value(ec, 0);
    api->string_copy(ec, argv[1], (char *)name, sizeof name);
    api->remove_method(ec, argv[0], (const char *)name);
    return collect_with_truth(api, ec, current_rbp(), "code_gc");
}

/// `adv_redefine_and_gc(source, go)`: when `go`, evaluates `source` (a `def` redefining, typically, the
/// calling method) and collects; returns the pages freed (0 when not `go`).
static jr_value adv_redefine_and_gc(const struct jr_guest_api *api, void *ec, jr_value self, int argc, const jr_value *argv) {
    (void)self; (void)argc;
    volatile char source[512];
    if (!truthy(api, argv[1])) return api->int_to_value(ec, 0);
    api->string_copy(ec, argv[0], (char *)source, sizeof source);
    api->eval(ec, (const char *)source);
    return collect_with_truth(api, ec, current_rbp(), "code_gc");
}

/// `adv_enable_and_gc(trace_point, go)`: when `go`, enables `trace_point` (which invalidates all compiled
/// code, the calling method's included) and collects; returns the pages freed (0 when not `go`).
static jr_value adv_enable_and_gc(const struct jr_guest_api *api, void *ec, jr_value self, int argc, const jr_value *argv) {
    (void)self; (void)argc;
    volatile long scratch[4] = {1, 2, 3, 4};
    if (!truthy(api, argv[1])) return api->int_to_value(ec, 0);
    api->funcall(ec, argv[0], "enable", 0, NULL);
    jr_value freed = collect_with_truth(api, ec, current_rbp(), "code_gc");
    return freed + (jr_value)(scratch[3] - 4);
}

/// `adv_call(name, a, b)`: calls `self.name(a, b)` back from C and returns its result. (The VM runs a
/// method called from C in the interpreter; the methods it calls run compiled code again.)
static jr_value adv_call(const struct jr_guest_api *api, void *ec, jr_value self, int argc, const jr_value *argv) {
    (void)argc;
    volatile char name[64];
    volatile jr_value arguments[2] = {argv[1], argv[2]};
    api->string_copy(ec, argv[0], (char *)name, sizeof name);
    return api->funcall(ec, self, (const char *)name, 2, (const jr_value *)arguments);
}

/// `adv_gc_and_raise(message)`: collects, then raises RuntimeError `message` through its JIT callers.
static jr_value adv_gc_and_raise(const struct jr_guest_api *api, void *ec, jr_value self, int argc, const jr_value *argv) {
    (void)self; (void)argc;
    volatile char message[128];
    api->string_copy(ec, argv[0], (char *)message, sizeof message);
    collect_with_truth(api, ec, current_rbp(), "code_gc");
    api->raise(ec, "RuntimeError", (const char *)message);
    return api->nil_value;  // not reached
}

/// `adv_fiber_yield(value)`: Fiber.yield(value) from inside C (the fiber is suspended with this frame
/// and its JIT callers on its stack); returns what the next resume passes.
static jr_value adv_fiber_yield(const struct jr_guest_api *api, void *ec, jr_value self, int argc, const jr_value *argv) {
    (void)self; (void)argc;
    volatile long scratch[4] = {1, 2, 3, 4};
    jr_value fiber_class = api->get_constant(ec, "Fiber");
    int segment = segment_open(current_rbp());
    jr_value got = api->funcall(ec, fiber_class, "yield", 1, argv);
    segment_close(segment);
    return got + (jr_value)(scratch[3] - 4);
}

/// `adv_fiber_resume(fiber, value)`: fiber.resume(value) from inside C (this stack, JIT frames included,
/// waits while the fiber runs); returns what the fiber yielded or ended with.
static jr_value adv_fiber_resume(const struct jr_guest_api *api, void *ec, jr_value self, int argc, const jr_value *argv) {
    (void)self; (void)argc;
    volatile long scratch[4] = {1, 2, 3, 4};
    int segment = segment_open(current_rbp());
    jr_value got = api->funcall(ec, argv[0], "resume", 1, argv + 1);
    segment_close(segment);
    return got + (jr_value)(scratch[3] - 4);
}

/// What the garbage-rbp call passes to the callback that re-enters the VM.
/// Value rbp holds while the VM runs above: non-canonical, so any use of it as a pointer faults at once.
#define GARBAGE_RBP "0x5a5a5a5a5a5a5a5a"

struct garbage_call {
    const struct jr_guest_api *api;
    void *ec;
    jr_value self;
    const char *name;
    jr_value arguments[2];
    jr_value result;
};

static long garbage_rbp_seen;

long jr_adversary_garbage_rbp_seen(void) { return garbage_rbp_seen; }

static void __attribute__((noinline)) garbage_call_back(struct garbage_call *call) {
    // Called from the asm below with nothing in between: rbp must hold the garbage right now.
    if (current_rbp() == (uintptr_t)0x5a5a5a5a5a5a5a5aULL) garbage_rbp_seen++;
    call->result = call->api->funcall(call->ec, call->self, call->name, 2, call->arguments);
}


// Saves rbp, fills it with garbage, calls `garbage_call_back(call)` (which re-enters the VM), restores rbp.
// The CFI directives tell unwinders where rbp was saved, as a compiler does for a callee-saved register.
static void __attribute__((noinline)) clear_result(struct garbage_call *call) { call->result = 0; }

static void __attribute__((noinline)) call_with_garbage_rbp(struct garbage_call *call) {
    volatile long scratch[2] = {0, 0};
    // A real call, so this is no leaf: the compiler gives it an aligned frame of its own and keeps nothing
    // in the red zone below rsp, which the asm's push and call overwrite.
    clear_result(call);
    void (*callback)(struct garbage_call *) = garbage_call_back;
    __asm__ volatile(
        "push %%rbp\n\t"
        ".cfi_adjust_cfa_offset 8\n\t"
        ".cfi_rel_offset %%rbp, 0\n\t"
        "sub $8, %%rsp\n\t"
        ".cfi_adjust_cfa_offset 8\n\t"
        "movabs $" GARBAGE_RBP ", %%rbp\n\t"
        "call *%%rax\n\t"
        "add $8, %%rsp\n\t"
        ".cfi_adjust_cfa_offset -8\n\t"
        "pop %%rbp\n\t"
        ".cfi_adjust_cfa_offset -8\n\t"
        ".cfi_restore %%rbp\n\t"
        : "+D"(call), "+a"(callback)
        :
        : "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
          "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    scratch[1] = scratch[0];
}

/// `adv_call_with_garbage_rbp(name, a, b)`: calls `self.name(a, b)` back from C with rbp holding garbage
/// (not a frame pointer) for the whole time the VM runs above it; returns its result.
static jr_value adv_call_with_garbage_rbp(const struct jr_guest_api *api, void *ec, jr_value self, int argc,
                                          const jr_value *argv) {
    (void)argc;
    char name[64];
    api->string_copy(ec, argv[0], name, sizeof name);
    struct garbage_call call = {api, ec, self, name, {argv[1], argv[2]}, 0};
    // The chain above this frame is unreachable from inside the callback (rbp is garbage there).
    int segment = segment_open(current_rbp());
    call_with_garbage_rbp(&call);
    segment_close(segment);
    return call.result;
}

static const struct jr_adversary_cfunc cfuncs[] = {
    {"adv_gc", adv_gc, 0},
    {"adv_discard_all", adv_discard_all, 0},
    {"adv_remove_and_gc", adv_remove_and_gc, 3},
    {"adv_redefine_and_gc", adv_redefine_and_gc, 2},
    {"adv_enable_and_gc", adv_enable_and_gc, 2},
    {"adv_call", adv_call, 3},
    {"adv_gc_and_raise", adv_gc_and_raise, 1},
    {"adv_fiber_yield", adv_fiber_yield, 1},
    {"adv_fiber_resume", adv_fiber_resume, 2},
    {"adv_call_with_garbage_rbp", adv_call_with_garbage_rbp, 3},
    {NULL, NULL, 0},
};

const struct jr_adversary_cfunc *jr_adversary_cfuncs(void) { return cfuncs; }
