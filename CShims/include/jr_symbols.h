#ifndef JR_SYMBOLS_H
#define JR_SYMBOLS_H
#include <stdint.h>

/// Where an address lies (dladdr, a GNU extension): the shared object's path and, when the dynamic symbol
/// table knows it, the enclosing symbol and its start. Any out pointer may be NULL; strings belong to the
/// loader. Returns 0, or -1 with errno = ENOENT if no loaded object contains the address.
int jr_describe_address(const void *address, const char **object_path, const char **symbol_name,
                        uintptr_t *symbol_start);

/// The process-wide binding of a symbol (dlsym(RTLD_DEFAULT)), or NULL with errno = ENOENT.
void *jr_lookup_symbol(const char *name);

#endif
