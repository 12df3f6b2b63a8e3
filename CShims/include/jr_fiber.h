#ifndef JR_FIBER_H
#define JR_FIBER_H
// Fibers: stackful coroutines on their own mmap'd stacks, switched with swapcontext so that a suspended
// fiber's saved ucontext_t is exactly what jr_unwind_walk_context walks.
#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>

typedef struct jr_fiber jr_fiber;
typedef void (*jr_fiber_entry)(jr_fiber *fiber, void *argument);

/// Creates a fiber that will run `entry(fiber, argument)` on a fresh stack of `stack_size` bytes (rounded up
/// to whole OS pages, plus one PROT_NONE guard page below it). Not started until the first resume.
/// Returns NULL with errno set (EINVAL for a stack under 16 KiB, or the mmap/malloc error).
jr_fiber *jr_fiber_create(size_t stack_size, jr_fiber_entry entry, void *argument);

/// Runs the fiber (starting or continuing it) until it yields or its entry returns. Returns 0, or -1 with
/// errno = EINVAL if the fiber has finished or is already running.
int jr_fiber_resume(jr_fiber *fiber);

/// On the fiber: suspends it and returns to the jr_fiber_resume that ran it. Returns 0 when resumed again,
/// or -1 with errno = EINVAL if `fiber` is not the running fiber.
int jr_fiber_yield(jr_fiber *fiber);

/// 1 once the fiber's entry has returned.
int jr_fiber_is_finished(const jr_fiber *fiber);

/// 1 while the fiber is suspended (started, not running, not finished): only then may its saved context
/// be walked.
int jr_fiber_is_suspended(const jr_fiber *fiber);

/// The context the suspended fiber will resume from (its registers at the switch inside jr_fiber_yield).
/// Walk it with jr_unwind_walk_context; it is valid until the fiber is resumed.
ucontext_t *jr_fiber_saved_context(jr_fiber *fiber);

/// While the fiber runs: the context of whoever resumed it (saved by the switch in jr_fiber_resume), which
/// stays stopped, and walkable with jr_unwind_walk_context, until the fiber yields or finishes. NULL when
/// the fiber is not running.
ucontext_t *jr_fiber_resumer_context(jr_fiber *fiber);

/// The fiber's usable stack as [*low, *high) (the guard page excluded).
void jr_fiber_stack_bounds(const jr_fiber *fiber, uintptr_t *low, uintptr_t *high);

/// Frees the fiber and unmaps its stack. It must not be running; a suspended fiber's frames are simply
/// discarded (nothing on them is unwound). Returns 0, or -1 with errno = EBUSY if it is running.
int jr_fiber_destroy(jr_fiber *fiber);

#endif
