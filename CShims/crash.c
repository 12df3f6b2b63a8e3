// The crash reporter's signal handler and the preformatted state it reads. See jr_crash.h for the
// async-signal-safety compromises.
#include "jr_crash.h"

#define UNW_LOCAL_ONLY
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libunwind.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

enum { PAGE_NEVER = 0, PAGE_LIVE = 1, PAGE_FREED = 2 };

typedef struct freed_record {
    size_t page;
    uint64_t gc_number;
    jr_crash_page_records held;
} freed_record;

static uintptr_t region_low, region_high;
static unsigned region_page_shift;
static size_t region_page_count;
static unsigned char *page_states;
static jr_crash_page_records *page_records;
static uint64_t *page_freed_by;
static freed_record history[JR_CRASH_HISTORY_CAPACITY];
static uint64_t history_count;

// The executable's symbol table, read in place from a read-only mapping of its file (jr_crash_map_symbols).
static const Elf64_Sym *mapped_symbols;
static size_t mapped_symbol_count;
static const char *mapped_names;
static size_t mapped_names_size;
static uintptr_t mapped_bias;
/// Run-time addresses the file's loaded segments span: a lookup outside them is another object's.
static uintptr_t mapped_low, mapped_high;

static const int handled_signals[] = {SIGTRAP, SIGSEGV, SIGILL, SIGBUS};
#define HANDLED_COUNT (sizeof handled_signals / sizeof handled_signals[0])
static struct sigaction previous_actions[HANDLED_COUNT];
static int installed;
static int output_fd = 2;
static volatile sig_atomic_t reporting;

/// A zero-filled table from its own anonymous mapping (NULL on failure): unlike calloc'd heap memory, which
/// calloc clears, nothing is written until a page is used, so a table for thousands of code pages costs a
/// starting process no page faults.
static void *zeroed_table(size_t bytes) {
    void *table = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return table == MAP_FAILED ? NULL : table;
}

static void release_table(void *table, size_t bytes) {
    if (table != NULL) munmap(table, bytes);
}

int jr_crash_configure(uintptr_t low, unsigned page_shift, size_t page_count) {
    if (page_count == 0 || page_shift >= 40) { errno = EINVAL; return -1; }
    if (page_count > SIZE_MAX / sizeof(jr_crash_page_records)) { errno = ENOMEM; return -1; }
    unsigned char *states = zeroed_table(page_count);
    jr_crash_page_records *records = zeroed_table(page_count * sizeof(jr_crash_page_records));
    uint64_t *freed_by = zeroed_table(page_count * sizeof(uint64_t));
    if (states == NULL || records == NULL || freed_by == NULL) {
        release_table(states, page_count);
        release_table(records, page_count * sizeof(jr_crash_page_records));
        release_table(freed_by, page_count * sizeof(uint64_t));
        errno = ENOMEM;
        return -1;
    }
    // The old tables are leaked on purpose: a report running on another thread may still read them.
    page_states = states;
    page_records = records;
    page_freed_by = freed_by;
    region_low = low;
    region_page_shift = page_shift;
    region_page_count = page_count;
    region_high = low + ((uintptr_t)page_count << page_shift);
    history_count = 0;
    return 0;
}

void jr_crash_records_add(jr_crash_page_records *held, const char *name, size_t length, int32_t first_pc, int32_t last_pc,
                          uint32_t kind) {
    if (held->total < JR_CRASH_RECORDS_PER_PAGE) {
        jr_crash_record *record = &held->records[held->total];
        if (length > JR_CRASH_NAME_CAPACITY) length = JR_CRASH_NAME_CAPACITY;
        memcpy(record->name, name, length);
        record->name[length] = '\0';
        record->first_pc = first_pc;
        record->last_pc = last_pc;
        record->kind = kind;
    }
    held->total++;
}

void jr_crash_page_add(size_t page, const char *name, size_t length, int32_t first_pc, int32_t last_pc, uint32_t kind) {
    if (page >= region_page_count) return;
    jr_crash_records_add(&page_records[page], name, length, first_pc, last_pc, kind);
    page_states[page] = PAGE_LIVE;
}

void jr_crash_page_freed(size_t page, uint64_t gc_number) {
    if (page >= region_page_count) return;
    freed_record *record = &history[history_count % JR_CRASH_HISTORY_CAPACITY];
    record->page = page;
    record->gc_number = gc_number;
    record->held = page_records[page];
    history_count++;
    page_records[page].total = 0;
    page_freed_by[page] = gc_number;
    page_states[page] = PAGE_FREED;
}

/// Whether [offset, offset + size) lies within a file of `file_size` bytes (no overflow).
static int within(uint64_t offset, uint64_t size, uint64_t file_size) {
    return offset <= file_size && size <= file_size - offset;
}

int jr_crash_map_symbols(const char *path, uintptr_t load_bias) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat status;
    if (fstat(fd, &status) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    uint64_t size = (uint64_t)status.st_size;
    if (size < sizeof(Elf64_Ehdr)) {
        close(fd);
        errno = ENOEXEC;
        return -1;
    }
    // Mapping costs no reads: only the header and section headers are touched now, the table at a crash.
    const unsigned char *file = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    int saved = errno;
    close(fd);
    if (file == MAP_FAILED) {
        errno = saved;
        return -1;
    }
    const Elf64_Ehdr *header = (const Elf64_Ehdr *)file;
    const Elf64_Shdr *sections = NULL;
    if (memcmp(header->e_ident, ELFMAG, SELFMAG) == 0 && header->e_ident[EI_CLASS] == ELFCLASS64 &&
        header->e_shentsize == sizeof(Elf64_Shdr) &&
        within(header->e_shoff, (uint64_t)header->e_shnum * sizeof(Elf64_Shdr), size)) {
        sections = (const Elf64_Shdr *)(file + header->e_shoff);
    }
    const Elf64_Shdr *table = NULL;
    for (int pass = 0; sections != NULL && pass < 2 && table == NULL; pass++) {
        uint32_t wanted = pass == 0 ? SHT_SYMTAB : SHT_DYNSYM;
        for (size_t i = 0; i < header->e_shnum; i++) {
            const Elf64_Shdr *section = &sections[i];
            if (section->sh_type != wanted || section->sh_entsize != sizeof(Elf64_Sym)) continue;
            if (section->sh_link >= header->e_shnum || !within(section->sh_offset, section->sh_size, size)) continue;
            const Elf64_Shdr *names = &sections[section->sh_link];
            if (!within(names->sh_offset, names->sh_size, size)) continue;
            table = section;
            break;
        }
    }
    if (table == NULL) {
        munmap((void *)file, size);
        errno = ENOEXEC;
        return -1;
    }
    const Elf64_Shdr *names = &sections[table->sh_link];
    uintptr_t bias = header->e_type == ET_DYN ? load_bias : 0;
    uintptr_t low = UINTPTR_MAX, high = 0;
    if (header->e_phentsize == sizeof(Elf64_Phdr) &&
        within(header->e_phoff, (uint64_t)header->e_phnum * sizeof(Elf64_Phdr), size)) {
        const Elf64_Phdr *segments = (const Elf64_Phdr *)(file + header->e_phoff);
        for (size_t i = 0; i < header->e_phnum; i++) {
            if (segments[i].p_type != PT_LOAD) continue;
            if (segments[i].p_vaddr + bias < low) low = segments[i].p_vaddr + bias;
            if (segments[i].p_vaddr + segments[i].p_memsz + bias > high) high = segments[i].p_vaddr + segments[i].p_memsz + bias;
        }
    }
    if (low >= high) {
        munmap((void *)file, size);
        errno = ENOEXEC;
        return -1;
    }
    // An earlier mapping stays: a report on another thread may be reading it.
    mapped_symbol_count = 0;
    mapped_symbols = (const Elf64_Sym *)(file + table->sh_offset);
    mapped_names = (const char *)(file + names->sh_offset);
    mapped_names_size = names->sh_size;
    mapped_bias = bias;
    mapped_low = low;
    mapped_high = high;
    mapped_symbol_count = table->sh_size / sizeof(Elf64_Sym);
    return 0;
}

void jr_crash_set_output(int fd) { output_fd = fd; }

// ---- Output without malloc or stdio -------------------------------------------------------------------

typedef struct line {
    char bytes[512];
    size_t used;
} line;

static void put(line *out, const char *text) {
    while (*text != '\0' && out->used < sizeof out->bytes - 1) out->bytes[out->used++] = *text++;
}

static void put_hex(line *out, uintptr_t value) {
    char digits[19];
    int at = (int)sizeof digits;
    do {
        unsigned nibble = value & 0xf;
        digits[--at] = (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        value >>= 4;
    } while (value != 0);
    digits[--at] = 'x';
    digits[--at] = '0';
    for (; at < (int)sizeof digits && out->used < sizeof out->bytes - 1; at++) out->bytes[out->used++] = digits[at];
}

static void put_decimal(line *out, uint64_t value) {
    char digits[21];
    int at = (int)sizeof digits;
    do {
        digits[--at] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    for (; at < (int)sizeof digits && out->used < sizeof out->bytes - 1; at++) out->bytes[out->used++] = digits[at];
}

/// One record as shown: the name, and for a block ` pc FIRST...LAST` (and ` exits`).
static void put_record(line *out, const jr_crash_record *record) {
    if (record->kind != JR_CRASH_VERBATIM) put(out, "jit:");
    put(out, record->name);
    if (record->kind == JR_CRASH_VERBATIM) return;
    put(out, " pc ");
    put_decimal(out, (uint64_t)(record->first_pc < 0 ? 0 : record->first_pc));
    put(out, "...");
    put_decimal(out, (uint64_t)(record->last_pc < 0 ? 0 : record->last_pc));
    if (record->kind == JR_CRASH_BLOCK_EXITS) put(out, " exits");
}

/// `a, b, c` while they fit JR_CRASH_TEXT_BUDGET, then ` (+N more)` for the rest.
static void put_records(line *out, const jr_crash_page_records *held) {
    size_t stored = held->total < JR_CRASH_RECORDS_PER_PAGE ? (size_t)held->total : JR_CRASH_RECORDS_PER_PAGE;
    size_t used = 0;
    for (size_t i = 0; i < stored; i++) {
        line piece = {.used = 0};
        if (i > 0) put(&piece, ", ");
        put_record(&piece, &held->records[i]);
        if (used + piece.used > JR_CRASH_TEXT_BUDGET) {
            put(out, " (+");
            put_decimal(out, held->total - i);
            put(out, " more)");
            return;
        }
        piece.bytes[piece.used] = '\0';
        put(out, piece.bytes);
        used += piece.used;
    }
    if (held->total > stored) {
        put(out, " (+");
        put_decimal(out, held->total - stored);
        put(out, " more)");
    }
}

static size_t copy_line(const line *text, char *out, size_t capacity) {
    if (capacity == 0) return 0;
    size_t length = text->used < capacity - 1 ? text->used : capacity - 1;
    memcpy(out, text->bytes, length);
    out[length] = '\0';
    return length;
}

size_t jr_crash_format_records(const jr_crash_page_records *records, char *out, size_t capacity) {
    line text = {.used = 0};
    put_records(&text, records);
    return copy_line(&text, out, capacity);
}

size_t jr_crash_describe_page(size_t page, char *out, size_t capacity) {
    line text = {.used = 0};
    if (page < region_page_count && page_states[page] == PAGE_LIVE) put_records(&text, &page_records[page]);
    return copy_line(&text, out, capacity);
}

static void emit(line *out) {
    out->bytes[out->used++] = '\n';
    size_t written = 0;
    while (written < out->used) {
        ssize_t result = write(output_fd, out->bytes + written, out->used - written);
        if (result < 0 && errno == EINTR) continue;
        if (result <= 0) break;
        written += (size_t)result;
    }
    out->used = 0;
}

// ---- Lookups ------------------------------------------------------------------------------------------

static int in_region(uintptr_t address) { return address >= region_low && address < region_high; }

static size_t page_of(uintptr_t address) { return (address - region_low) >> region_page_shift; }

static const char *signal_name(int sig) {
    switch (sig) {
    case SIGTRAP: return "SIGTRAP";
    case SIGSEGV: return "SIGSEGV";
    case SIGILL: return "SIGILL";
    case SIGBUS: return "SIGBUS";
    default: return "signal";
    }
}

/// The mapped table's function containing `address`, or NULL. A linear scan (a crash happens once): the
/// sized function whose range contains the address, else a size-less one (Swift's `main`, assembly) that
/// is the nearest function start below it, as it extends to the next symbol.
const char *jr_crash_mapped_symbol(uintptr_t address, uintptr_t *start) {
    if (address < mapped_low || address >= mapped_high) return NULL;
    const Elf64_Sym *containing = NULL, *nearest = NULL;
    uintptr_t containing_start = 0, nearest_start = 0;
    for (size_t i = 0; i < mapped_symbol_count; i++) {
        const Elf64_Sym *symbol = &mapped_symbols[i];
        if (ELF64_ST_TYPE(symbol->st_info) != STT_FUNC || symbol->st_shndx == SHN_UNDEF || symbol->st_value == 0) continue;
        if (symbol->st_name == 0 || symbol->st_name >= mapped_names_size) continue;
        uintptr_t low = (uintptr_t)symbol->st_value + mapped_bias;
        if (low > address) continue;
        if (symbol->st_size > 0 && address - low < symbol->st_size && (containing == NULL || low > containing_start)) {
            containing = symbol;
            containing_start = low;
        }
        if (nearest == NULL || low > nearest_start || (low == nearest_start && symbol->st_size > 0)) {
            nearest = symbol;
            nearest_start = low;
        }
    }
    const Elf64_Sym *found = containing;
    uintptr_t found_start = containing_start;
    if (found == NULL && nearest != NULL && nearest->st_size == 0) {
        found = nearest;
        found_start = nearest_start;
    }
    if (found == NULL) return NULL;
    // The name must end inside the string table (the file is not trusted to be well formed).
    const char *name = mapped_names + found->st_name;
    if (memchr(name, '\0', mapped_names_size - found->st_name) == NULL) return NULL;
    *start = found_start;
    return name;
}

static void put_page_state(line *out, size_t page) {
    put(out, "page ");
    put_decimal(out, page);
    switch (page_states[page]) {
    case PAGE_LIVE:
        put(out, " live, holds: ");
        if (page_records[page].total > 0) put_records(out, &page_records[page]);
        else put(out, "(nothing named)");
        break;
    case PAGE_FREED:
        put(out, " FREED by GC #");
        put_decimal(out, page_freed_by[page]);
        break;
    default: put(out, " never allocated"); break;
    }
}

/// One frame: address, kind (JIT, C, Swift) and what is known of it.
static void report_frame(line *out, int index, uintptr_t ip, int is_return_address) {
    uintptr_t lookup = is_return_address && ip > 0 ? ip - 1 : ip;
    put(out, "  #");
    put_decimal(out, (uint64_t)index);
    put(out, " ");
    put_hex(out, ip);
    if (in_region(lookup)) {
        put(out, " JIT   ");
        put_page_state(out, page_of(lookup));
        emit(out);
        return;
    }
    uintptr_t start = 0;
    const char *name = jr_crash_mapped_symbol(lookup, &start);
    const char *object = NULL;
    Dl_info info;
    if (dladdr((void *)lookup, &info) != 0) {
        object = info.dli_fname;
        if (name == NULL && info.dli_sname != NULL) {
            name = info.dli_sname;
            start = (uintptr_t)info.dli_saddr;
        }
    }
    // Swift symbols are mangled with the `$s` prefix (`_T0` for older ones).
    int is_swift = name != NULL && (strncmp(name, "$s", 2) == 0 || strncmp(name, "_$s", 3) == 0);
    put(out, is_swift ? " Swift " : " C     ");
    if (name != NULL) {
        put(out, name);
        put(out, "+");
        put_hex(out, lookup - start + (lookup != ip ? 1 : 0));
    } else {
        put(out, "??");
    }
    if (object != NULL) {
        put(out, " (");
        put(out, object);
        put(out, ")");
    }
    emit(out);
}

static void report(int sig, uintptr_t culprit, uintptr_t pc, ucontext_t *context) {
    line out = {.used = 0};
    size_t page = page_of(culprit);
    put(&out, "jitstack: ");
    put(&out, signal_name(sig));
    put(&out, " in JIT code at ");
    put_hex(&out, culprit);
    put(&out, " (pc ");
    put_hex(&out, pc);
    put(&out, "), code page ");
    put_decimal(&out, page);
    put(&out, " at ");
    put_hex(&out, region_low + ((uintptr_t)page << region_page_shift));
    emit(&out);
    put(&out, "  ");
    put_page_state(&out, page);
    if (page_states[page] == PAGE_FREED) put(&out, ": execution reached freed code");
    emit(&out);

    // The page's freed history, newest first.
    uint64_t kept = history_count < JR_CRASH_HISTORY_CAPACITY ? history_count : JR_CRASH_HISTORY_CAPACITY;
    int printed = 0;
    for (uint64_t back = 0; back < kept && printed < 8; back++) {
        const freed_record *record = &history[(history_count - 1 - back) % JR_CRASH_HISTORY_CAPACITY];
        if (record->page != page) continue;
        put(&out, "  page ");
        put_decimal(&out, page);
        put(&out, " freed by GC #");
        put_decimal(&out, record->gc_number);
        put(&out, ", it held: ");
        if (record->held.total > 0) put_records(&out, &record->held);
        else put(&out, "(nothing named)");
        emit(&out);
        printed++;
    }
    if (printed == 0) {
        put(&out, "  no freed-page history for page ");
        put_decimal(&out, page);
        emit(&out);
    }

    put(&out, "native stack (libunwind, from the signal context):");
    emit(&out);
    unw_cursor_t cursor;
    if (unw_init_local2(&cursor, (unw_context_t *)context, UNW_INIT_SIGNAL_FRAME) != 0) {
        put(&out, "  (libunwind could not start the walk)");
        emit(&out);
        return;
    }
    for (int index = 0; index < 256; index++) {
        unw_word_t ip = 0;
        if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0 || ip == 0) break;
        report_frame(&out, index, (uintptr_t)ip, index > 0);
        if (unw_step(&cursor) <= 0) break;
    }
}

static void chain(int sig, siginfo_t *info, void *context) {
    for (size_t i = 0; i < HANDLED_COUNT; i++) {
        if (handled_signals[i] != sig) continue;
        const struct sigaction *previous = &previous_actions[i];
        if ((previous->sa_flags & SA_SIGINFO) && previous->sa_sigaction != NULL) {
            previous->sa_sigaction(sig, info, context);
            return;
        }
        if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN && previous->sa_handler != NULL) {
            previous->sa_handler(sig);
            return;
        }
    }
    // Default action: it runs when the handler returns (the signal is blocked until then).
    signal(sig, SIG_DFL);
    raise(sig);
}

static void handle_fault(int sig, siginfo_t *info, void *raw_context) {
    ucontext_t *context = raw_context;
    uintptr_t pc = (uintptr_t)context->uc_mcontext.gregs[REG_RIP];
    uintptr_t sp = (uintptr_t)context->uc_mcontext.gregs[REG_RSP];
    uintptr_t culprit = 0;
    // int3 reports the address after it; a fetch fault reports the pc; a fault elsewhere may still have
    // just been called from JIT code (the return address on top of the stack).
    if (sig == SIGTRAP && in_region(pc - 1)) culprit = pc - 1;
    else if (in_region(pc)) culprit = pc;
    else if (in_region((uintptr_t)info->si_addr)) culprit = (uintptr_t)info->si_addr;
    if (culprit == 0 || reporting) {
        chain(sig, info, raw_context);
        return;
    }
    reporting = 1;
    (void)sp;
    report(sig, culprit, pc, context);
    signal(SIGABRT, SIG_DFL);
    abort();
}

int jr_crash_prepare_thread(void) {
    stack_t current;
    if (sigaltstack(NULL, &current) != 0) return -1;
    if (!(current.ss_flags & SS_DISABLE) && current.ss_size >= 64 * 1024) return 0;
    size_t size = 256 * 1024;
    void *memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) return -1;
    stack_t stack = {.ss_sp = memory, .ss_size = size, .ss_flags = 0};
    if (sigaltstack(&stack, NULL) != 0) {
        int saved = errno;
        munmap(memory, size);
        errno = saved;
        return -1;
    }
    return 0;
}

int jr_crash_install(void) {
    if (region_page_count == 0) { errno = EINVAL; return -1; }
    if (jr_crash_prepare_thread() != 0) return -1;
    if (installed) return 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handle_fault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < HANDLED_COUNT; i++) {
        if (sigaction(handled_signals[i], &action, &previous_actions[i]) != 0) {
            int saved = errno;
            for (size_t j = 0; j < i; j++) sigaction(handled_signals[j], &previous_actions[j], NULL);
            errno = saved;
            return -1;
        }
    }
    installed = 1;
    return 0;
}

void jr_crash_uninstall(void) {
    if (!installed) return;
    for (size_t i = 0; i < HANDLED_COUNT; i++) sigaction(handled_signals[i], &previous_actions[i], NULL);
    installed = 0;
}
