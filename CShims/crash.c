// The crash reporter's signal handler and the preformatted state it reads. See jr_crash.h for the
// async-signal-safety compromises.
#include "jr_crash.h"

#define UNW_LOCAL_ONLY
#include <dlfcn.h>
#include <errno.h>
#include <libunwind.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

enum { PAGE_NEVER = 0, PAGE_LIVE = 1, PAGE_FREED = 2 };

typedef struct freed_record {
    size_t page;
    uint64_t gc_number;
    char text[JR_CRASH_TEXT_CAPACITY];
} freed_record;

static uintptr_t region_low, region_high;
static unsigned region_page_shift;
static size_t region_page_count;
static unsigned char *page_states;
static char (*page_texts)[JR_CRASH_TEXT_CAPACITY];
static uint64_t *page_freed_by;
static freed_record history[JR_CRASH_HISTORY_CAPACITY];
static uint64_t history_count;

static const uintptr_t *symbol_starts;
static const uint64_t *symbol_sizes;
static const char *const *symbol_names;
static size_t symbol_count;

static const int handled_signals[] = {SIGTRAP, SIGSEGV, SIGILL, SIGBUS};
#define HANDLED_COUNT (sizeof handled_signals / sizeof handled_signals[0])
static struct sigaction previous_actions[HANDLED_COUNT];
static int installed;
static int output_fd = 2;
static volatile sig_atomic_t reporting;

int jr_crash_configure(uintptr_t low, unsigned page_shift, size_t page_count) {
    if (page_count == 0 || page_shift >= 40) { errno = EINVAL; return -1; }
    unsigned char *states = calloc(page_count, 1);
    char (*texts)[JR_CRASH_TEXT_CAPACITY] = calloc(page_count, JR_CRASH_TEXT_CAPACITY);
    uint64_t *freed_by = calloc(page_count, sizeof(uint64_t));
    if (states == NULL || texts == NULL || freed_by == NULL) {
        free(states);
        free(texts);
        free(freed_by);
        errno = ENOMEM;
        return -1;
    }
    // The old tables are leaked on purpose: a report running on another thread may still read them.
    page_states = states;
    page_texts = texts;
    page_freed_by = freed_by;
    region_low = low;
    region_page_shift = page_shift;
    region_page_count = page_count;
    region_high = low + ((uintptr_t)page_count << page_shift);
    history_count = 0;
    return 0;
}

static void copy_text(char *destination, const char *source) {
    size_t length = strlen(source);
    if (length > JR_CRASH_TEXT_CAPACITY - 1) length = JR_CRASH_TEXT_CAPACITY - 1;
    memcpy(destination, source, length);
    destination[length] = '\0';
}

void jr_crash_set_page_text(size_t page, const char *text) {
    if (page >= region_page_count) return;
    copy_text(page_texts[page], text);
    page_states[page] = PAGE_LIVE;
}

void jr_crash_page_freed(size_t page, uint64_t gc_number) {
    if (page >= region_page_count) return;
    freed_record *record = &history[history_count % JR_CRASH_HISTORY_CAPACITY];
    record->page = page;
    record->gc_number = gc_number;
    copy_text(record->text, page_texts[page]);
    history_count++;
    page_texts[page][0] = '\0';
    page_freed_by[page] = gc_number;
    page_states[page] = PAGE_FREED;
}

void jr_crash_set_symbols(const uintptr_t *starts, const uint64_t *sizes, const char *const *names, size_t count) {
    symbol_count = 0;
    symbol_starts = starts;
    symbol_sizes = sizes;
    symbol_names = names;
    symbol_count = count;
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

/// The symbol table's function containing `address`, or NULL (binary search over sorted starts).
static const char *table_symbol(uintptr_t address, uintptr_t *start) {
    size_t low = 0, high = symbol_count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (symbol_starts[middle] <= address) low = middle + 1;
        else high = middle;
    }
    if (low == 0) return NULL;
    size_t index = low - 1;
    uint64_t size = symbol_sizes[index] > 0 ? symbol_sizes[index] : 1;
    if (address - symbol_starts[index] >= size) return NULL;
    *start = symbol_starts[index];
    return symbol_names[index];
}

static void put_page_state(line *out, size_t page) {
    put(out, "page ");
    put_decimal(out, page);
    switch (page_states[page]) {
    case PAGE_LIVE:
        put(out, " live, holds: ");
        put(out, page_texts[page][0] != '\0' ? page_texts[page] : "(nothing named)");
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
    const char *name = table_symbol(lookup, &start);
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
        put(&out, record->text[0] != '\0' ? record->text : "(nothing named)");
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
