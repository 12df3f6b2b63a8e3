// GDB JIT interface: the two symbols GDB looks for, list maintenance in the order GDB expects, and the
// libelf object builder (libelf writes through a file descriptor only, so a reused memfd is its scratch).
#include "jr_gdb_jit.h"

#include <errno.h>
#include <pthread.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct jit_descriptor __jit_debug_descriptor = {1, JIT_NOACTION, NULL, NULL};

__attribute__((noinline, used)) void __jit_debug_register_code(void) {
    // An empty asm with a memory clobber: the call and the stores before it cannot be optimised away.
    __asm__ volatile("" ::: "memory");
}

// Serializes the scratch memfd and the descriptor list across every interface in the process.
static pthread_mutex_t gdb_jit_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *last_elf_error = "";
static int scratch_fd = -1;

const char *jr_gdb_jit_elf_error(void) { return last_elf_error; }

static int fail_elf(Elf *elf) {
    const char *message = elf_errmsg(-1);
    last_elf_error = message != NULL ? message : "unknown libelf error";
    if (elf != NULL) elf_end(elf);
    errno = EIO;
    return -1;
}

/// A new section named at `name_offset` in .shstrtab, with one data buffer.
static Elf_Scn *add_section(Elf *elf, uint32_t name_offset, uint32_t type, uint64_t flags, uint64_t address,
                            void *buffer, size_t size, Elf_Type data_type, uint64_t entry_size, uint64_t align) {
    Elf_Scn *section = elf_newscn(elf);
    if (section == NULL) return NULL;
    Elf_Data *data = elf_newdata(section);
    if (data == NULL) return NULL;
    data->d_buf = buffer;
    data->d_size = size;
    data->d_type = data_type;
    data->d_align = align;
    data->d_version = EV_CURRENT;
    Elf64_Shdr *header = elf64_getshdr(section);
    if (header == NULL) return NULL;
    header->sh_name = name_offset;
    header->sh_type = type;
    header->sh_flags = flags;
    header->sh_addr = address;
    header->sh_entsize = entry_size;
    header->sh_addralign = align;
    return section;
}

static int build_object_locked(uintptr_t text_low, uintptr_t text_high, const jr_jit_symbol *symbols, size_t count,
                               void **bytes, size_t *size) {
    if (text_high <= text_low) { errno = EINVAL; return -1; }
    size_t names_size = 1;
    for (size_t i = 0; i < count; i++) {
        if (symbols[i].start < text_low || symbols[i].start + symbols[i].size > text_high) { errno = EINVAL; return -1; }
        names_size += strlen(symbols[i].name) + 1;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) return fail_elf(NULL);
    if (scratch_fd < 0) {
        scratch_fd = memfd_create("jr-gdb-jit-object", MFD_CLOEXEC);
        if (scratch_fd < 0) return -1;
    }
    // No truncation: the object is read back by its length, stale bytes past it are never read.

    static const char section_names[] = "\0.text\0.symtab\0.strtab\0.shstrtab";
    enum { TEXT_NAME = 1, SYMTAB_NAME = 7, STRTAB_NAME = 15, SHSTRTAB_NAME = 23 };
    char *names = malloc(names_size);
    Elf64_Sym *table = calloc(count + 1, sizeof(Elf64_Sym));
    if (names == NULL || table == NULL) {
        free(names);
        free(table);
        errno = ENOMEM;
        return -1;
    }
    names[0] = '\0';
    size_t name_at = 1;
    for (size_t i = 0; i < count; i++) {
        size_t length = strlen(symbols[i].name);
        memcpy(names + name_at, symbols[i].name, length + 1);
        table[i + 1].st_name = (uint32_t)name_at;
        table[i + 1].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
        table[i + 1].st_shndx = 1;  // .text
        table[i + 1].st_value = symbols[i].start - text_low;
        table[i + 1].st_size = symbols[i].size;
        name_at += length + 1;
    }

    int result = -1;
    Elf *elf = elf_begin(scratch_fd, ELF_C_WRITE, NULL);
    if (elf == NULL) { fail_elf(NULL); goto done; }
    Elf64_Ehdr *header = elf64_newehdr(elf);
    if (header == NULL) { fail_elf(elf); goto done; }
    header->e_ident[EI_DATA] = ELFDATA2LSB;
    header->e_ident[EI_OSABI] = ELFOSABI_NONE;
    header->e_type = ET_REL;
    header->e_machine = EM_X86_64;
    header->e_version = EV_CURRENT;
    Elf_Scn *text = add_section(elf, TEXT_NAME, SHT_NOBITS, SHF_ALLOC | SHF_EXECINSTR, text_low, NULL,
                                text_high - text_low, ELF_T_BYTE, 0, 16);
    Elf_Scn *symtab = add_section(elf, SYMTAB_NAME, SHT_SYMTAB, 0, 0, table, (count + 1) * sizeof(Elf64_Sym),
                                  ELF_T_SYM, sizeof(Elf64_Sym), 8);
    Elf_Scn *strtab = add_section(elf, STRTAB_NAME, SHT_STRTAB, 0, 0, names, names_size, ELF_T_BYTE, 0, 1);
    Elf_Scn *shstrtab = add_section(elf, SHSTRTAB_NAME, SHT_STRTAB, 0, 0, (void *)section_names,
                                    sizeof(section_names), ELF_T_BYTE, 0, 1);
    if (text == NULL || symtab == NULL || strtab == NULL || shstrtab == NULL) { fail_elf(elf); goto done; }
    Elf64_Shdr *symtab_header = elf64_getshdr(symtab);
    symtab_header->sh_link = (uint32_t)elf_ndxscn(strtab);
    symtab_header->sh_info = 1;  // index of the first non-local symbol
    header->e_shstrndx = (uint16_t)elf_ndxscn(shstrtab);
    off_t length = elf_update(elf, ELF_C_WRITE);
    if (length < 0) { fail_elf(elf); goto done; }
    elf_end(elf);

    void *copy = malloc((size_t)length);
    if (copy == NULL) { errno = ENOMEM; goto done; }
    ssize_t read_bytes = pread(scratch_fd, copy, (size_t)length, 0);
    if (read_bytes != length) {
        free(copy);
        if (read_bytes >= 0) errno = EIO;
        goto done;
    }
    *bytes = copy;
    *size = (size_t)length;
    result = 0;
done:
    free(names);
    free(table);
    return result;
}

int jr_gdb_jit_build_object(uintptr_t text_low, uintptr_t text_high, const jr_jit_symbol *symbols, size_t count,
                            void **bytes, size_t *size) {
    pthread_mutex_lock(&gdb_jit_lock);
    int result = build_object_locked(text_low, text_high, symbols, count, bytes, size);
    int saved = errno;
    pthread_mutex_unlock(&gdb_jit_lock);
    errno = saved;
    return result;
}

struct jit_code_entry *jr_gdb_jit_register(void *bytes, size_t size) {
    struct jit_code_entry *entry = calloc(1, sizeof *entry);
    if (entry == NULL) { errno = ENOMEM; return NULL; }
    pthread_mutex_lock(&gdb_jit_lock);
    entry->symfile_addr = bytes;
    entry->symfile_size = size;
    entry->next_entry = __jit_debug_descriptor.first_entry;
    if (entry->next_entry != NULL) entry->next_entry->prev_entry = entry;
    __jit_debug_descriptor.first_entry = entry;
    __jit_debug_descriptor.relevant_entry = entry;
    __jit_debug_descriptor.action_flag = JIT_REGISTER_FN;
    __jit_debug_register_code();
    __jit_debug_descriptor.action_flag = JIT_NOACTION;
    pthread_mutex_unlock(&gdb_jit_lock);
    return entry;
}

struct jit_code_entry *jr_gdb_jit_first_entry(void) { return __jit_debug_descriptor.first_entry; }

void jr_gdb_jit_unregister(struct jit_code_entry *entry) {
    if (entry == NULL) return;
    pthread_mutex_lock(&gdb_jit_lock);
    if (entry->prev_entry != NULL) entry->prev_entry->next_entry = entry->next_entry;
    else __jit_debug_descriptor.first_entry = entry->next_entry;
    if (entry->next_entry != NULL) entry->next_entry->prev_entry = entry->prev_entry;
    __jit_debug_descriptor.relevant_entry = entry;
    __jit_debug_descriptor.action_flag = JIT_UNREGISTER_FN;
    __jit_debug_register_code();
    __jit_debug_descriptor.action_flag = JIT_NOACTION;
    __jit_debug_descriptor.relevant_entry = NULL;
    pthread_mutex_unlock(&gdb_jit_lock);
    free((void *)entry->symfile_addr);
    free(entry);
}
