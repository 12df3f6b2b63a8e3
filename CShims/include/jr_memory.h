#ifndef JR_MEMORY_H
#define JR_MEMORY_H
// Virtual memory for the executable code region: reservation, protection, memfd double mapping,
// returning memory to the OS, and the aligned 8-byte atomic store used to patch live code.
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// mmap(2), but NULL instead of MAP_FAILED (a macro Swift cannot import) on failure.
void *jr_mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset);
int jr_munmap(void *address, size_t length);
int jr_mprotect(void *address, size_t length, int protection);
int jr_madvise(void *address, size_t length, int advice);

/// An anonymous, close-on-exec memory file: the backing store of the RW and RX views of a dual mapping.
int jr_memfd_create(const char *name);
int jr_ftruncate(int fd, off_t length);
int jr_close(int fd);
/// Frees the file's memory in [offset, offset + length) without changing its size (reads back as zeros).
int jr_punch_hole(int fd, off_t offset, off_t length);
/// Bytes of memory the file really holds (st_blocks * 512): proves punched holes went back to the OS.
int64_t jr_file_allocated_bytes(int fd);

/// The OS page size (sysconf(_SC_PAGESIZE)).
size_t jr_os_page_size(void);

/// Aligned 8-byte atomic store / load / compare-exchange (sequentially consistent). `address` must be
/// 8-byte aligned: on x86-64 such a store is never torn, so code running nearby sees the old or the new word.
void jr_atomic_store_u64(void *address, uint64_t value);
uint64_t jr_atomic_load_u64(const void *address);
/// Stores `desired` if the word still holds `expected`; returns 1 if it did, 0 (and nothing stored) if not.
int jr_atomic_compare_exchange_u64(void *address, uint64_t expected, uint64_t desired);

#endif
