// Fibers on swapcontext. Slower than a hand-written register switch (glibc saves the signal mask with a
// system call), but the saved state is a ucontext_t, which libunwind walks as it is.
#include "jr_fiber.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

enum fiber_state { FIBER_CREATED, FIBER_RUNNING, FIBER_SUSPENDED, FIBER_FINISHED };

struct jr_fiber {
    ucontext_t own;       // the fiber's registers while it is suspended
    ucontext_t resumer;   // the registers of whoever resumed it, while it runs
    jr_fiber_entry entry;
    void *argument;
    void *mapping;        // guard page + stack
    size_t mapping_size;
    size_t guard_size;
    enum fiber_state state;
};

// makecontext passes only ints: the fiber pointer travels as two 32-bit halves.
static void fiber_start(unsigned int high, unsigned int low) {
    jr_fiber *fiber = (jr_fiber *)(((uintptr_t)high << 32) | (uintptr_t)low);
    fiber->entry(fiber, fiber->argument);
    fiber->state = FIBER_FINISHED;
    setcontext(&fiber->resumer);  // never returns; the fiber's stack is dead from here on
}

jr_fiber *jr_fiber_create(size_t stack_size, jr_fiber_entry entry, void *argument) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (stack_size < 16384 || entry == NULL) {
        errno = EINVAL;
        return NULL;
    }
    size_t usable = (stack_size + page - 1) / page * page;
    jr_fiber *fiber = calloc(1, sizeof *fiber);
    if (fiber == NULL) return NULL;
    void *mapping = mmap(NULL, usable + page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) {
        int saved = errno;
        free(fiber);
        errno = saved;
        return NULL;
    }
    if (mprotect((char *)mapping + page, usable, PROT_READ | PROT_WRITE) != 0 || getcontext(&fiber->own) != 0) {
        int saved = errno;
        munmap(mapping, usable + page);
        free(fiber);
        errno = saved;
        return NULL;
    }
    fiber->entry = entry;
    fiber->argument = argument;
    fiber->mapping = mapping;
    fiber->mapping_size = usable + page;
    fiber->guard_size = page;
    fiber->state = FIBER_CREATED;
    fiber->own.uc_stack.ss_sp = (char *)mapping + page;
    fiber->own.uc_stack.ss_size = usable;
    fiber->own.uc_link = NULL;
    uintptr_t bits = (uintptr_t)fiber;
    makecontext(&fiber->own, (void (*)(void))fiber_start, 2, (unsigned int)(bits >> 32), (unsigned int)bits);
    return fiber;
}

int jr_fiber_resume(jr_fiber *fiber) {
    if (fiber->state != FIBER_CREATED && fiber->state != FIBER_SUSPENDED) {
        errno = EINVAL;
        return -1;
    }
    fiber->state = FIBER_RUNNING;
    if (swapcontext(&fiber->resumer, &fiber->own) != 0) return -1;
    return 0;
}

int jr_fiber_yield(jr_fiber *fiber) {
    if (fiber->state != FIBER_RUNNING) {
        errno = EINVAL;
        return -1;
    }
    fiber->state = FIBER_SUSPENDED;
    if (swapcontext(&fiber->own, &fiber->resumer) != 0) return -1;
    return 0;
}

int jr_fiber_is_finished(const jr_fiber *fiber) { return fiber->state == FIBER_FINISHED; }

int jr_fiber_is_suspended(const jr_fiber *fiber) { return fiber->state == FIBER_SUSPENDED; }

ucontext_t *jr_fiber_saved_context(jr_fiber *fiber) { return &fiber->own; }

ucontext_t *jr_fiber_resumer_context(jr_fiber *fiber) {
    return fiber->state == FIBER_RUNNING ? &fiber->resumer : NULL;
}

void jr_fiber_stack_bounds(const jr_fiber *fiber, uintptr_t *low, uintptr_t *high) {
    *low = (uintptr_t)fiber->mapping + fiber->guard_size;
    *high = (uintptr_t)fiber->mapping + fiber->mapping_size;
}

int jr_fiber_destroy(jr_fiber *fiber) {
    if (fiber == NULL) return 0;
    if (fiber->state == FIBER_RUNNING) {
        errno = EBUSY;
        return -1;
    }
    munmap(fiber->mapping, fiber->mapping_size);
    free(fiber);
    return 0;
}
