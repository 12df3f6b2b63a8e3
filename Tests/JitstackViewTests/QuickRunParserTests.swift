import ArgumentParser
import JitstackCLI
import Testing

/// `jitstack run`'s fast parse must yield exactly what ArgumentParser's parse does, or leave the arguments to it.
@Suite struct QuickRunParserTests {
    @Test(arguments: [
        ["run", "one.rb"],
        ["run", "-e", "puts 1"],
        ["run", "--no-jit", "one.rb"],
        ["run", "--code-region", "1M", "--call-threshold", "1", "churn.rb"],
        ["run", "one.rb", "--page-size=4K", "--code-region=16K", "--stats", "--json"],
        ["run", "--no-code-gc", "--no-code-sharing", "--stress-gc", "--perf-map", "--jitdump", "--dump-stacks-on-gc", "--gdb",
         "--no-crash-report", "-e", "p 2"],
        ["run", "--call-threshold", "+3", "--code-region", "2mib", "x.rb"],
    ])
    func buildsTheSameCommandAsArgumentParser(arguments: [String]) throws {
        let quick = try #require(QuickRunParser.parse(arguments))
        let parsed = try #require(try JitstackCommand.parseAsRoot(arguments) as? RunCommand)
        #expect(quick.settings == parsed.options.settings)
        #expect(quick.code == parsed.code && quick.file == parsed.file)
    }

    @Test(arguments: [
        ["stack", "one.rb"], ["run"], ["run", "--help"], ["run", "-h"], ["run", "a.rb", "b.rb"],
        ["run", "-e", "1", "a.rb"], ["run", "--stats", "--stats", "a.rb"], ["run", "--unknown", "a.rb"],
        ["run", "--call-threshold", "0", "a.rb"], ["run", "--call-threshold", "-1", "a.rb"],
        ["run", "--page-size", "3000", "a.rb"], ["run", "--code-region", "lots", "a.rb"], ["run", "--stats=1", "a.rb"],
        ["run", "--", "a.rb"], ["run", "-", "a.rb"], ["run", "-e"], ["run", "--call-threshold"], ["run", "-e", "-x"],
    ])
    func leavesWhatItDoesNotFullyUnderstandToArgumentParser(arguments: [String]) {
        #expect(QuickRunParser.parse(arguments) == nil)
    }
}
