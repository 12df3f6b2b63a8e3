// libunwind walks and the region-wide FDE registration (see shared/UNWINDING.md for the measured facts).
#define UNW_LOCAL_ONLY
#include "jr_unwind.h"

#include <errno.h>
#include <libunwind.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(unw_context_t) == sizeof(ucontext_t), "on x86-64 a ucontext_t is an unw_context_t");
_Static_assert(sizeof(jr_native_frame) == 3 * sizeof(uintptr_t), "Swift reads jr_native_frame as 3 words");

// Steps from `cursor` (positioned on the frame before the first to report), storing frames.
static jr_walk_result collect_frames(unw_cursor_t *cursor, jr_native_frame *frames, size_t capacity,
                                     size_t skip, int include_current) {
    jr_walk_result result = {0, JR_WALK_COMPLETE, 0};
    size_t count = 0;
    for (;;) {
        if (!include_current) {
            int step = unw_step(cursor);
            if (step == 0) break;
            if (step < 0) {
                result.end = JR_WALK_FAILED;
                result.unw_error = step;
                break;
            }
        }
        include_current = 0;
        if (skip > 0) {
            skip--;
            continue;
        }
        if (count == capacity) {
            result.end = JR_WALK_TRUNCATED;
            break;
        }
        unw_word_t ip = 0, sp = 0;
        unw_get_reg(cursor, UNW_REG_IP, &ip);
        unw_get_reg(cursor, UNW_REG_SP, &sp);
        unw_save_loc_t location;
        uintptr_t slot = 0;
        if (unw_get_save_loc(cursor, UNW_REG_IP, &location) == 0 && location.type == UNW_SLT_MEMORY)
            slot = (uintptr_t)location.u.addr;
        frames[count].ip = (uintptr_t)ip;
        frames[count].sp = (uintptr_t)sp;
        frames[count].ip_slot = slot;
        count++;
    }
    result.count = (long)count;
    return result;
}

static jr_walk_result failed_start(int unw_error) {
    errno = EINVAL;
    jr_walk_result result = {-1, JR_WALK_FAILED, unw_error};
    return result;
}

__attribute__((noinline)) jr_walk_result jr_unwind_walk_current(jr_native_frame *frames, size_t capacity,
                                                                size_t skip) {
    unw_context_t context;
    unw_cursor_t cursor;
    unw_getcontext(&context);
    int rc = unw_init_local(&cursor, &context);
    if (rc != 0) return failed_start(rc);
    // The cursor starts on this function; the first step lands on the caller, which is frame 0.
    jr_walk_result result = collect_frames(&cursor, frames, capacity, skip, 0);
    __asm__ volatile("" ::: "memory");  // keeps `context` alive and this call from becoming a tail call
    return result;
}

jr_walk_result jr_unwind_walk_context(ucontext_t *context, jr_native_frame *frames, size_t capacity,
                                      size_t skip) {
    unw_cursor_t cursor;
    int rc = unw_init_local(&cursor, (unw_context_t *)context);
    if (rc != 0) return failed_start(rc);
    return collect_frames(&cursor, frames, capacity, skip, 1);
}

__attribute__((noinline)) int jr_unwind_backtrace(void **addresses, int capacity) {
    if (capacity <= 0) return 0;
    int count = unw_backtrace(addresses, capacity);
    if (count <= 0) return count;
    // unw_backtrace's first entry is the return address into this function: drop it so frame 0 is the
    // return address into our caller, as in jr_unwind_walk_current. (The copy also forbids a tail call.)
    memmove(addresses, addresses + 1, (size_t)(count - 1) * sizeof(void *));
    return count - 1;
}

// ---- Region-wide FDE registration -------------------------------------------------------------------

enum { CIE_SIZE = 24, FDE_SIZE = 32, EH_SIZE = CIE_SIZE + FDE_SIZE + 4 };

struct jr_unwind_registration {
    unw_dyn_info_t info;
    // One IP_OFFSET table entry: int32 start offset (from start_ip), int32 FDE offset (from segbase).
    unw_word_t table[1];
    // .eh_frame-style CIE + FDE + zero terminator; `info.u.rti.segbase` points here.
    uint8_t eh_frame[EH_SIZE] __attribute__((aligned(8)));
};

static void put_u64(uint8_t *at, uint64_t value) { memcpy(at, &value, 8); }

static void build_eh_frame(uint8_t *eh, uintptr_t low, uintptr_t high) {
    static const uint8_t cie[CIE_SIZE] = {
        0x14, 0x00, 0x00, 0x00,  // length (after this field): 20
        0x00, 0x00, 0x00, 0x00,  // CIE id
        0x01,                    // version
        'z', 'R', 0x00,          // augmentation "zR"
        0x01,                    // code alignment 1
        0x78,                    // data alignment -8 (SLEB128)
        0x10,                    // return address column 16 (rip)
        0x01, 0x00,              // augmentation data: length 1, FDE pointer encoding absptr (8 bytes)
        0x0c, 0x07, 0x08,        // DW_CFA_def_cfa rsp + 8
        0x90, 0x01,              // DW_CFA_offset rip at CFA - 8
        0x00, 0x00,              // DW_CFA_nop padding
    };
    uint8_t fde[FDE_SIZE] = {
        0x1c, 0x00, 0x00, 0x00,  // length (after this field): 28
        0x1c, 0x00, 0x00, 0x00,  // CIE pointer: distance from this field back to the CIE (24 + 4)
        0, 0, 0, 0, 0, 0, 0, 0,  // initial location (filled below)
        0, 0, 0, 0, 0, 0, 0, 0,  // address range (filled below)
        0x00,                    // augmentation data length
        0x0c, 0x06, 0x10,        // DW_CFA_def_cfa rbp + 16
        0x86, 0x02,              // DW_CFA_offset rbp at CFA - 16
        0x00, 0x00,              // DW_CFA_nop padding
    };
    put_u64(fde + 8, (uint64_t)low);
    put_u64(fde + 16, (uint64_t)(high - low));
    memcpy(eh, cie, CIE_SIZE);
    memcpy(eh + CIE_SIZE, fde, FDE_SIZE);
    memset(eh + CIE_SIZE + FDE_SIZE, 0, 4);  // terminator
}

jr_unwind_registration *jr_unwind_register_region(uintptr_t low, uintptr_t high) {
    if (high <= low) {
        errno = EINVAL;
        return NULL;
    }
    jr_unwind_registration *registration = calloc(1, sizeof *registration);
    if (registration == NULL) return NULL;  // calloc set ENOMEM
    build_eh_frame(registration->eh_frame, low, high);
    int32_t entry[2] = {0, CIE_SIZE};
    memcpy(registration->table, entry, sizeof entry);

    unw_dyn_info_t *info = &registration->info;
    info->start_ip = low;
    info->end_ip = high;
    info->gp = 0;
    info->format = UNW_INFO_FORMAT_IP_OFFSET;
    info->u.rti.name_ptr = 0;
    info->u.rti.segbase = (unw_word_t)registration->eh_frame;
    info->u.rti.table_len = sizeof registration->table / sizeof(unw_word_t);
    info->u.rti.table_data = (unw_word_t)registration->table;
    _U_dyn_register(info);
    return registration;
}

void jr_unwind_cancel_region(jr_unwind_registration *registration) {
    if (registration == NULL) return;
    _U_dyn_cancel(&registration->info);
    // Cached rules outlive the registration until flushed.
    unw_flush_cache(unw_local_addr_space, registration->info.start_ip, registration->info.end_ip);
    // Deliberately not freed: libunwind's walkers read the list without its lock, so a walk racing with this
    // cancel may still be looking at the node. Keeping ~150 bytes per cancelled region alive makes that race
    // harmless (the stale node describes the same rbp-frame rule) instead of a use-after-free.
}
