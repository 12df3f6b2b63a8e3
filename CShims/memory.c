// Virtual memory wrappers. Each exists because Swift cannot express the call directly (MAP_FAILED and
// FALLOC_FL_* are macros, memfd_create needs _GNU_SOURCE) or to keep errno handling in one shape.
#include "jr_memory.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void *jr_mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset) {
    void *result = mmap(address, length, protection, flags, fd, offset);
    return result == MAP_FAILED ? NULL : result;
}

int jr_munmap(void *address, size_t length) { return munmap(address, length); }

int jr_mprotect(void *address, size_t length, int protection) { return mprotect(address, length, protection); }

int jr_madvise(void *address, size_t length, int advice) { return madvise(address, length, advice); }

int jr_memfd_create(const char *name) { return memfd_create(name, MFD_CLOEXEC); }

int jr_ftruncate(int fd, off_t length) { return ftruncate(fd, length); }

int jr_close(int fd) { return close(fd); }

int jr_punch_hole(int fd, off_t offset, off_t length) {
    return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
}

int64_t jr_file_allocated_bytes(int fd) {
    struct stat status;
    if (fstat(fd, &status) != 0) return -1;
    return (int64_t)status.st_blocks * 512;
}

size_t jr_os_page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }

void jr_atomic_store_u64(void *address, uint64_t value) {
    __atomic_store_n((uint64_t *)address, value, __ATOMIC_SEQ_CST);
}

uint64_t jr_atomic_load_u64(const void *address) {
    return __atomic_load_n((const uint64_t *)address, __ATOMIC_SEQ_CST);
}

int jr_atomic_compare_exchange_u64(void *address, uint64_t expected, uint64_t desired) {
    return __atomic_compare_exchange_n((uint64_t *)address, &expected, desired, 0, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}
