enum X86AssemblerModule {}
