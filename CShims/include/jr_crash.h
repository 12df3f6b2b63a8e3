#ifndef JR_CRASH_H
#define JR_CRASH_H
// Crash reports for execution that reaches freed or invalid JIT code: a SIGTRAP/SIGSEGV/SIGILL/SIGBUS
// handler on an alternate signal stack. Everything it prints is prepared beforehand (region bounds,
// per-page text, a ring of freed pages, the executable's file mapped read-only for its symbol table) so
// the handler itself only reads memory, walks the stack with libunwind and write(2)s. Compromises, all
// deliberate: dladdr (for frames the symbol table misses) takes the loader's lock; the tables are updated
// without a lock, so a report racing with an update may print a torn line; if the executable's file were
// truncated while mapped, reading its symbols would fault inside the handler (the nested fault then takes
// the default action). Faults outside the code region go to the previous handler (or the default action),
// untouched.
#include <stddef.h>
#include <stdint.h>

/// Longest text kept per page (what it holds) and per freed-page record; longer text is cut.
#define JR_CRASH_TEXT_CAPACITY 192
/// Freed-page records kept (oldest overwritten first).
#define JR_CRASH_HISTORY_CAPACITY 512

/// Describes the code region [low, low + (page_count << page_shift)) and allocates per-page state.
/// Call before installing (and again only with no report possible). Returns 0, or -1 with errno = ENOMEM
/// or EINVAL.
int jr_crash_configure(uintptr_t low, unsigned page_shift, size_t page_count);

/// Sets what a live page holds (NUL-terminated, cut to JR_CRASH_TEXT_CAPACITY - 1 bytes) and marks it live.
void jr_crash_set_page_text(size_t page, const char *text);

/// Records that collection `gc_number` freed `page`: its text moves into the freed-page history.
void jr_crash_page_freed(size_t page, uint64_t gc_number);

/// Maps the ELF file at `path` (e.g. "/proc/self/exe") read-only and finds its `.symtab` (or `.dynsym`), so
/// the handler can name static functions at crash time by reading the mapping: no libelf, no malloc, no
/// lock, nothing read until a crash (the kernel pages the table in then). `load_bias` is added to the
/// symbols of a position-independent (ET_DYN) file. Replaces an earlier mapping (which stays mapped: a
/// report may be reading it). Returns 0, or -1 with errno set (ENOEXEC: not a 64-bit ELF file with a
/// symbol table).
int jr_crash_map_symbols(const char *path, uintptr_t load_bias);

/// The name of the function containing `address` in the mapped file (what a report prints), or NULL;
/// `*start` receives its start address. Async-signal-safe.
const char *jr_crash_mapped_symbol(uintptr_t address, uintptr_t *start);

/// Installs the handler for SIGTRAP, SIGSEGV, SIGILL and SIGBUS (SA_SIGINFO | SA_ONSTACK), keeping the
/// previous actions for faults outside the region, and gives the calling thread an alternate stack.
/// Returns 0, or -1 with errno set.
int jr_crash_install(void);

/// Gives the calling thread an alternate signal stack if it has none (every thread that runs JIT code
/// calls this once). Returns 0, or -1 with errno set.
int jr_crash_prepare_thread(void);

/// Restores the previous actions.
void jr_crash_uninstall(void);

/// Where reports are written (default 2, stderr).
void jr_crash_set_output(int fd);

#endif
