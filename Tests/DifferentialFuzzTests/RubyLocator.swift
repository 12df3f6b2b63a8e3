import Foundation

/// Debian's ruby, when installed.
enum RubyLocator {
    static let path: String? = ["/usr/bin/ruby", "/usr/local/bin/ruby"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Flags that keep Ruby's messages free of hints the subset does not print.
    static let flags = ["--disable=did_you_mean,error_highlight", "-W0"]
    /// Ruby's 1 MiB default VM stack stops short of the generator's deepest recursion.
    static let environment = ["RUBY_THREAD_VM_STACK_SIZE": "16777216"]
}
