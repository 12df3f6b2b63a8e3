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

/// Longest name a record keeps (bytes, without the NUL); longer names are cut.
#define JR_CRASH_NAME_CAPACITY 39
/// Records kept per page; later ones are only counted ("(+N more)").
#define JR_CRASH_RECORDS_PER_PAGE 6
/// Freed-page records kept (oldest overwritten first).
#define JR_CRASH_HISTORY_CAPACITY 512
/// Budget of a page's formatted text: the names that fit, then "(+N more)".
#define JR_CRASH_TEXT_BUDGET 150

/// How a record's name is shown.
enum {
    /// `name` as given.
    JR_CRASH_VERBATIM = 0,
    /// A guest block: `jit:NAME pc FIRST...LAST`.
    JR_CRASH_BLOCK = 1,
    /// A guest block's outlined exits: `jit:NAME pc FIRST...LAST exits`.
    JR_CRASH_BLOCK_EXITS = 2,
};

/// What one compiled range is called, kept raw: compiling stores a few bytes, and the text is made only
/// when a report (or a test) formats it.
typedef struct jr_crash_record {
    char name[JR_CRASH_NAME_CAPACITY + 1];
    int32_t first_pc, last_pc;
    uint32_t kind;
} jr_crash_record;

/// What a page holds: its first records and how many were added in all.
typedef struct jr_crash_page_records {
    uint64_t total;
    jr_crash_record records[JR_CRASH_RECORDS_PER_PAGE];
} jr_crash_page_records;

/// Describes the code region [low, low + (page_count << page_shift)) and allocates per-page state.
/// Call before installing (and again only with no report possible). Returns 0, or -1 with errno = ENOMEM
/// or EINVAL.
int jr_crash_configure(uintptr_t low, unsigned page_shift, size_t page_count);

/// Adds to what a live page holds (and marks it live): `length` bytes of `name` (cut to
/// JR_CRASH_NAME_CAPACITY), shown as `kind` says with the pcs of a block.
void jr_crash_page_add(size_t page, const char *name, size_t length, int32_t first_pc, int32_t last_pc, uint32_t kind);

/// Adds a record to `held` (as jr_crash_page_add does to a page's records).
void jr_crash_records_add(jr_crash_page_records *held, const char *name, size_t length, int32_t first_pc, int32_t last_pc,
                          uint32_t kind);

/// Records that collection `gc_number` freed `page`: its records move into the freed-page history.
void jr_crash_page_freed(size_t page, uint64_t gc_number);

/// Formats `records` as a report shows them (`a, b, c (+N more)`, within JR_CRASH_TEXT_BUDGET bytes) into
/// `out` (NUL-terminated, cut to `capacity`). Returns the length written. Async-signal-safe.
size_t jr_crash_format_records(const jr_crash_page_records *records, char *out, size_t capacity);

/// What live `page` holds now, formatted, into `out` (empty for a page never used or freed). Returns the
/// length written.
size_t jr_crash_describe_page(size_t page, char *out, size_t capacity);

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
