import Glibc
@testable import JitstackCLI
import Testing

@Suite struct ReadFileTests {
    static func temporaryFile(_ bytes: [UInt8]) -> String {
        var template = Array("/tmp/readfile-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        precondition(fd >= 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return String(cString: template)
    }

    @Test(arguments: [0, 1, 4095, 4096, 70_000])
    func aRegularFileReadsWhole(size: Int) {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 % 95 + 32) }
        let path = Self.temporaryFile(bytes)
        defer { unlink(path) }
        #expect(ProgramRunner.readFile(path).map { Array($0.utf8) } == bytes)
    }

    @Test func invalidUTF8IsRepairedAsBefore() {
        let bytes: [UInt8] = Array("puts 1 # ".utf8) + [0xFF, 0xC3] + Array("\n".utf8)
        let path = Self.temporaryFile(bytes)
        defer { unlink(path) }
        #expect(ProgramRunner.readFile(path) == String(decoding: bytes, as: UTF8.self))
    }

    /// A pipe has no size: the buffer starts small and grows (the bytes fit in the pipe, so no writer
    /// thread is needed).
    @Test func aPipeReadsWhole() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 % 26 + 97) }
        #expect(bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) } == bytes.count)
        close(fds[1])
        defer { close(fds[0]) }
        #expect(ProgramRunner.readFile("/dev/fd/\(fds[0])").map { Array($0.utf8) } == bytes)
    }

    @Test func missingFilesAndDirectoriesAreNil() {
        #expect(ProgramRunner.readFile("/nonexistent/readfile-test") == nil)
        #expect(ProgramRunner.readFile("/tmp") == nil)
    }
}
