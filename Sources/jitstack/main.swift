import ArgumentParser
import Glibc
import JitstackCLI

// ArgumentParser exits 64 (EX_USAGE) on a bad flag; this CLI exits 1 for every kind of bad input
// (bad flags, bad programs, missing files), so scripts test one status.
do {
    // The common `run FILE` skips ArgumentParser's parse (milliseconds of start-up); see QuickRunParser.
    if let quick = QuickRunParser.parse(Array(CommandLine.arguments.dropFirst())) {
        let status = quick.run()
        if status != 0 { exit(status) }
    } else {
        var command = try JitstackCommand.parseAsRoot()
        try command.run()
    }
} catch {
    if JitstackCommand.exitCode(for: error) == .validationFailure {
        let message = JitstackCommand.fullMessage(for: error) + "\n"
        _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        exit(1)
    }
    JitstackCommand.exit(withError: error)
}
