#ifndef JR_ELF_SYMBOLS_H
#define JR_ELF_SYMBOLS_H
// Function symbols from an ELF file's `.symtab` (static functions included, which dladdr cannot see
// because it reads only `.dynsym`), read with libelf.
#include <stddef.h>
#include <stdint.h>

/// One STT_FUNC symbol: its link-time value and size, and its name as an offset into the names blob.
typedef struct jr_elf_function {
    uintptr_t value;
    uint64_t size;
    uint32_t name_offset;
} jr_elf_function;

/// The function symbols of the ELF file at `path`: every defined STT_FUNC of `.symtab`, or of `.dynsym` if
/// the file has no `.symtab`. On success stores malloc'ed arrays (`*functions`, `*count` of them, and the
/// NUL-separated `*names` of `*names_size` bytes), whether the file is position-independent (ET_DYN: add the
/// load bias) in `*relocatable`, and returns 0. On failure returns -1 with errno set (from open, or EIO
/// with `jr_elf_symbols_error()` naming libelf's complaint, or ENOENT if the file has no symbol table).
int jr_elf_read_functions(const char *path, jr_elf_function **functions, size_t *count, char **names,
                          size_t *names_size, int *relocatable);

/// The same for an ELF image in memory (e.g. a GDB JIT object). In a relocatable object (ET_REL) each
/// value has its section's address added, so values are addresses.
int jr_elf_read_functions_in_memory(const void *image, size_t size, jr_elf_function **functions, size_t *count,
                                    char **names, size_t *names_size, int *relocatable);

/// libelf's message for the last failure of jr_elf_read_functions (static storage).
const char *jr_elf_symbols_error(void);

/// The loaded object containing `address` (dl_iterate_phdr): copies its path into `path` (`/proc/self/exe`
/// for the main program; truncated to `capacity`) and its load bias into `*bias`. Address 0 means the main
/// program. Returns 0, or -1 with
/// errno = ENOENT when no loaded segment contains the address.
int jr_loaded_object_containing(uintptr_t address, char *path, size_t capacity, uintptr_t *bias);

#endif
