#ifndef JR_GDB_JIT_H
#define JR_GDB_JIT_H
// The GDB JIT interface (GDB manual, "JIT Compilation Interface"): GDB puts a breakpoint on
// `__jit_debug_register_code` and, each time it is hit, reads the in-memory object file that
// `__jit_debug_descriptor.relevant_entry` points to (register) or drops it (unregister). The names, layout
// and version are fixed by GDB, hence the unprefixed symbols.
#include <stddef.h>
#include <stdint.h>

typedef enum jit_actions_t { JIT_NOACTION = 0, JIT_REGISTER_FN = 1, JIT_UNREGISTER_FN = 2 } jit_actions_t;

/// One registered object file; a doubly linked list GDB walks from `first_entry`.
struct jit_code_entry {
    struct jit_code_entry *next_entry;
    struct jit_code_entry *prev_entry;
    const char *symfile_addr;
    uint64_t symfile_size;
};

/// The list head GDB reads (version 1).
struct jit_descriptor {
    uint32_t version;
    uint32_t action_flag;
    struct jit_code_entry *relevant_entry;
    struct jit_code_entry *first_entry;
};

/// GDB's breakpoint site: never inlined, never optimised away.
void __jit_debug_register_code(void);
extern struct jit_descriptor __jit_debug_descriptor;

/// One function symbol of an object: [start, start + size) named `name` (NUL-terminated).
typedef struct jr_jit_symbol {
    uintptr_t start;
    uint64_t size;
    const char *name;
} jr_jit_symbol;

/// Builds with libelf an ELF64 x86-64 relocatable object whose `.text` (SHT_NOBITS, ALLOC|EXECINSTR) lies
/// at [text_low, text_high) and whose `.symtab`/`.strtab` name each of `symbols` (STT_FUNC, STB_GLOBAL,
/// values relative to `.text`, as in any ET_REL). On success stores a malloc'ed copy in `*bytes`/`*size`
/// and returns 0. On failure returns -1 with errno set (EINVAL: a symbol outside the text range; EIO with
/// `jr_gdb_jit_elf_error()` naming libelf's complaint). Thread-safe (a process-wide lock guards the
/// scratch memfd libelf writes through).
int jr_gdb_jit_build_object(uintptr_t text_low, uintptr_t text_high, const jr_jit_symbol *symbols, size_t count,
                            void **bytes, size_t *size);

/// libelf's message for the last failure of jr_gdb_jit_build_object (static storage).
const char *jr_gdb_jit_elf_error(void);

/// Links a new entry for the object [bytes, bytes + size) at the head of the descriptor's list and tells
/// GDB (REGISTER, then __jit_debug_register_code). Takes ownership of `bytes` (malloc'ed). Returns the
/// entry, or NULL with errno = ENOMEM. Register and unregister take the same process-wide lock.
struct jit_code_entry *jr_gdb_jit_register(void *bytes, size_t size);

/// The head of the descriptor's list (what GDB walks), or NULL.
struct jit_code_entry *jr_gdb_jit_first_entry(void);

/// Unlinks `entry`, tells GDB (UNREGISTER), then frees the entry and its object.
void jr_gdb_jit_unregister(struct jit_code_entry *entry);

#endif
