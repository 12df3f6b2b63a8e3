#ifndef JR_ELF_H
#define JR_ELF_H

/// Initialises libelf (elf_version(EV_CURRENT)). Returns 0, or -1 with errno = ENOSYS if libelf refuses the
/// version. Proves libelf is linked; symbolisation uses it later.
int jr_elf_initialize(void);

#endif
