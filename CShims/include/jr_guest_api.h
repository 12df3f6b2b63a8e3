#ifndef JR_GUEST_API_H
#define JR_GUEST_API_H
// The guest VM's C API: what a C-written cfunc may use. Types only; the VM fills the table.
//
// A cfunc receives the table, the execution context (opaque), its receiver and its arguments, and
// returns a value. Functions that raise (`raise`, and `funcall`/`yield`/`eval` when the guest code they
// ran raised or broke out) do not return: they unwind to the protect point the VM called the cfunc
// through, skipping the cfunc's C frames. A cfunc must therefore hold no resources (malloc'ed memory,
// locks) across these calls.
#include <stdint.h>

typedef uint64_t jr_value;

struct jr_guest_api;

/// A C-ABI method body. `argc` is the number of arguments in `argv` (for fixed arity, exactly it).
typedef jr_value (*jr_cfunc)(const struct jr_guest_api *api, void *ec, jr_value self, int argc,
                             const jr_value *argv);

struct jr_guest_api {
    /// Layout version of this table (1).
    uint32_t version;
    jr_value nil_value;
    jr_value true_value;
    jr_value false_value;

    /// Calls `recv.name(*argv)`.
    jr_value (*funcall)(void *ec, jr_value recv, const char *name, int argc, const jr_value *argv);
    /// Yields to the block passed to the running cfunc (LocalJumpError without one).
    jr_value (*yield)(void *ec, int argc, const jr_value *argv);
    /// 1 when the running cfunc was given a block.
    int (*block_given)(void *ec);
    /// Raises `cls` (a class name such as "RuntimeError") with `msg`. Never returns.
    void (*raise)(void *ec, const char *cls, const char *msg);
    /// Evaluates `source` at top level (self = main); SyntaxError is raised as a guest exception.
    jr_value (*eval)(void *ec, const char *source);
    /// Defines a cfunc on `klass` (arity -1: variadic).
    void (*define_method)(void *ec, jr_value klass, const char *name, jr_cfunc fn, int arity);
    /// Removes `klass`'s own method `name` (NameError if it has none).
    void (*remove_method)(void *ec, jr_value klass, const char *name);
    /// The constant `name` looked up from the top level (e.g. a class), NameError if missing.
    jr_value (*get_constant)(void *ec, const char *name);
    /// Integer conversions. `int_to_value` cannot fail (boxes outside the fixnum range);
    /// `value_to_int` raises TypeError when `v` is not an Integer.
    jr_value (*int_to_value)(void *ec, int64_t n);
    int64_t (*value_to_int)(void *ec, jr_value v);
    int (*is_integer)(jr_value v);
    /// A new String holding a copy of the NUL-terminated UTF-8 `s`.
    jr_value (*string_new)(void *ec, const char *s);
    /// Copies a String's bytes into `buf` (NUL-terminated, truncated to `size`); returns its byte length.
    /// TypeError when `v` is not a String.
    int64_t (*string_copy)(void *ec, jr_value v, char *buf, int64_t size);
};

#endif
