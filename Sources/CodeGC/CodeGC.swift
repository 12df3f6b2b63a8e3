/// Placeholder so the module exists until the collector lands (issue 5).
enum CodeGCModule {}
