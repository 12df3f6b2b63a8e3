import ArgumentParser

/// `jitstack`: run guest programs and look inside the JIT that runs them.
public struct JitstackCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "jitstack",
        abstract: "Run Ruby-subset programs on a JIT with precise code GC, and inspect its stacks and code pages.",
        subcommands: [RunCommand.self, StackCommand.self, PagesCommand.self, DemoCommand.self]
    )

    public init() {}
}
