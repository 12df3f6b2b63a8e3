// Reading `.symtab` with libelf, and finding which loaded object holds an address (dl_iterate_phdr).
#include "jr_elf_symbols.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *last_error = "";

const char *jr_elf_symbols_error(void) { return last_error; }

static int fail(Elf *elf, int fd, int code) {
    if (code == EIO) {
        const char *message = elf_errmsg(-1);
        last_error = message != NULL ? message : "unknown libelf error";
    }
    if (elf != NULL) elf_end(elf);
    if (fd >= 0) close(fd);
    errno = code;
    return -1;
}

/// The section of `type` (SHT_SYMTAB or SHT_DYNSYM), or NULL.
static Elf_Scn *find_section(Elf *elf, uint32_t type, GElf_Shdr *header) {
    Elf_Scn *section = NULL;
    while ((section = elf_nextscn(elf, section)) != NULL) {
        if (gelf_getshdr(section, header) != NULL && header->sh_type == type) return section;
    }
    return NULL;
}

/// Reads the function symbols of an open `elf` (closed here, as is `fd` if not negative).
static int read_functions(Elf *elf, int fd, jr_elf_function **functions, size_t *count, char **names,
                          size_t *names_size, int *relocatable) {
    if (elf == NULL || elf_kind(elf) != ELF_K_ELF) return fail(elf, fd, EIO);
    GElf_Ehdr file_header;
    if (gelf_getehdr(elf, &file_header) == NULL) return fail(elf, fd, EIO);
    GElf_Shdr header;
    Elf_Scn *section = find_section(elf, SHT_SYMTAB, &header);
    if (section == NULL) section = find_section(elf, SHT_DYNSYM, &header);
    if (section == NULL || header.sh_entsize == 0) return fail(elf, fd, ENOENT);
    Elf_Data *data = elf_getdata(section, NULL);
    if (data == NULL) return fail(elf, fd, EIO);
    size_t total = header.sh_size / header.sh_entsize;
    int is_object = file_header.e_type == ET_REL;

    size_t kept = 0, blob = 0;
    for (size_t i = 0; i < total; i++) {
        GElf_Sym symbol;
        if (gelf_getsym(data, (int)i, &symbol) == NULL) continue;
        if (GELF_ST_TYPE(symbol.st_info) != STT_FUNC || symbol.st_shndx == SHN_UNDEF) continue;
        if (symbol.st_value == 0 && !is_object) continue;
        const char *name = elf_strptr(elf, header.sh_link, symbol.st_name);
        if (name == NULL || name[0] == '\0') continue;
        kept++;
        blob += strlen(name) + 1;
    }
    jr_elf_function *out = malloc((kept > 0 ? kept : 1) * sizeof *out);
    char *text = malloc(blob > 0 ? blob : 1);
    if (out == NULL || text == NULL) {
        free(out);
        free(text);
        return fail(elf, fd, ENOMEM);
    }
    size_t at = 0, index = 0;
    for (size_t i = 0; i < total && index < kept; i++) {
        GElf_Sym symbol;
        if (gelf_getsym(data, (int)i, &symbol) == NULL) continue;
        if (GELF_ST_TYPE(symbol.st_info) != STT_FUNC || symbol.st_shndx == SHN_UNDEF) continue;
        if (symbol.st_value == 0 && !is_object) continue;
        const char *name = elf_strptr(elf, header.sh_link, symbol.st_name);
        if (name == NULL || name[0] == '\0') continue;
        uintptr_t value = (uintptr_t)symbol.st_value;
        // In a relocatable object values are relative to their section: add the section's address.
        if (is_object && symbol.st_shndx < SHN_LORESERVE) {
            GElf_Shdr owner;
            Elf_Scn *owner_section = elf_getscn(elf, symbol.st_shndx);
            if (owner_section != NULL && gelf_getshdr(owner_section, &owner) != NULL) value += owner.sh_addr;
        }
        size_t length = strlen(name);
        memcpy(text + at, name, length + 1);
        out[index].value = value;
        out[index].size = symbol.st_size;
        out[index].name_offset = (uint32_t)at;
        index++;
        at += length + 1;
    }
    *relocatable = file_header.e_type == ET_DYN;
    elf_end(elf);
    if (fd >= 0) close(fd);
    *functions = out;
    *count = index;
    *names = text;
    *names_size = at;
    return 0;
}

int jr_elf_read_functions(const char *path, jr_elf_function **functions, size_t *count, char **names,
                          size_t *names_size, int *relocatable) {
    if (elf_version(EV_CURRENT) == EV_NONE) return fail(NULL, -1, EIO);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    return read_functions(elf_begin(fd, ELF_C_READ_MMAP, NULL), fd, functions, count, names, names_size, relocatable);
}

int jr_elf_read_functions_in_memory(const void *image, size_t size, jr_elf_function **functions, size_t *count,
                                    char **names, size_t *names_size, int *relocatable) {
    if (elf_version(EV_CURRENT) == EV_NONE) return fail(NULL, -1, EIO);
    return read_functions(elf_memory((char *)image, size), -1, functions, count, names, names_size, relocatable);
}

struct object_search {
    uintptr_t address;
    char *path;
    size_t capacity;
    uintptr_t bias;
    int found;
};

static int visit_object(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size;
    struct object_search *search = context;
    int is_main = info->dlpi_name == NULL || info->dlpi_name[0] == '\0';
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD) continue;
        uintptr_t start = info->dlpi_addr + segment->p_vaddr;
        int wanted = search->address == 0 ? is_main
                                          : search->address >= start && search->address < start + segment->p_memsz;
        if (!wanted) continue;
        const char *name = info->dlpi_name != NULL && info->dlpi_name[0] != '\0' ? info->dlpi_name : "/proc/self/exe";
        if (search->capacity > 0) {
            strncpy(search->path, name, search->capacity - 1);
            search->path[search->capacity - 1] = '\0';
        }
        search->bias = info->dlpi_addr;
        search->found = 1;
        return 1;
    }
    return 0;
}

int jr_loaded_object_containing(uintptr_t address, char *path, size_t capacity, uintptr_t *bias) {
    struct object_search search = {address, path, capacity, 0, 0};
    dl_iterate_phdr(visit_object, &search);
    if (!search.found) {
        errno = ENOENT;
        return -1;
    }
    *bias = search.bias;
    return 0;
}
