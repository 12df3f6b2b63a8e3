enum CodeMemoryModule {}
