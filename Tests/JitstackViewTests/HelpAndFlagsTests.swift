import Testing

/// `--help` explains each view; bad flags exit 1 with a message.
@Suite struct HelpAndFlagsTests {
    @Test(arguments: [
        ("stack", ["JIT.dump_stack", "SIGUSR1", "precise", "conservative", "jit_return", ".symtab", "pins"]),
        ("pages", ["pinned", "being written", "--svg", "freed"]),
        ("run", ["--perf-map", "--dump-stacks-on-gc", "--no-crash-report", "--json"]),
        ("demo", ["adversary", "fiber", "churn"]),
    ])
    func helpExplainsTheView(view: String, terms: [String]) throws {
        let outcome = try JitstackProcess.run([view, "--help"])
        #expect(outcome.status == 0)
        for term in terms { #expect(outcome.stdout.contains(term), "\(view) --help mentions \(term)") }
    }

    @Test(arguments: ["stack", "pages", "run"])
    func badFlagsExitOneWithAMessage(view: String) throws {
        let unknown = try JitstackProcess.run([view, "--no-such-flag", "-e", "1"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("--no-such-flag"))
        let missing = try JitstackProcess.run([view])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("give a program FILE or -e CODE"))
    }

    @Test func topLevelHelpListsEveryView() throws {
        let outcome = try JitstackProcess.run(["--help"])
        for view in ["run", "stack", "pages", "demo"] { #expect(outcome.stdout.contains("  \(view) ")) }
    }
}
