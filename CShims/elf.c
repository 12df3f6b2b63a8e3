#include "jr_elf.h"

#include <errno.h>
#include <libelf.h>

int jr_elf_initialize(void) {
    if (elf_version(EV_CURRENT) == EV_NONE) {
        errno = ENOSYS;
        return -1;
    }
    return 0;
}
