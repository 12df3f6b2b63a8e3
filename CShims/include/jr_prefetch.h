#ifndef JR_PREFETCH_H
#define JR_PREFETCH_H
// A cache prefetch hint, which Swift cannot emit: the collector's marking loop asks for the metadata of
// blocks a few steps ahead in its work queue, so their cache misses overlap instead of following each other.

/// Hints that `address` will be read soon (no fault, whatever the address).
static inline void jr_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}
#endif
