/// Placeholder so the module exists until the baseline JIT lands (issue 4).
enum GuestJITModule {}
