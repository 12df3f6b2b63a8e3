import CShims
@testable import CodeMemory
import Glibc
import Testing

@Suite("Failed calls become typed errors naming the call")
struct SystemCallErrorTests {
    @Test("A failing call throws its name and errno")
    func failureNamesTheCall() {
        #expect(throws: SystemCallError(call: "close", errno: EBADF)) { try systemCall("close") { jr_close(-1) } }
        #expect(throws: SystemCallError(call: "mmap", errno: EINVAL)) {
            try systemCall("mmap") { jr_mmap(nil, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) }
        }
        #expect(SystemCallError(call: "close", errno: EBADF).description.contains("close"))
    }

    @Test("An interrupted call is retried until it completes")
    func interruptedCallIsRetried() throws {
        var attempts = 0
        let result = try systemCall("fake") { () -> Int32 in
            attempts += 1
            if attempts < 3 {
                Glibc.errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7 && attempts == 3)
    }
}
