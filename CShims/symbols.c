// Address and symbol lookups: dladdr and RTLD_DEFAULT need _GNU_SOURCE, which Swift's Glibc module lacks.
#include "jr_symbols.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>

int jr_describe_address(const void *address, const char **object_path, const char **symbol_name,
                        uintptr_t *symbol_start) {
    Dl_info info;
    if (dladdr(address, &info) == 0) {
        errno = ENOENT;
        return -1;
    }
    if (object_path != NULL) *object_path = info.dli_fname;
    if (symbol_name != NULL) *symbol_name = info.dli_sname;
    if (symbol_start != NULL) *symbol_start = (uintptr_t)info.dli_saddr;
    return 0;
}

void *jr_lookup_symbol(const char *name) {
    void *address = dlsym(RTLD_DEFAULT, name);
    if (address == NULL) errno = ENOENT;
    return address;
}
