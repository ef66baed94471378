import FoundationEssentials
import Glibc
import SqlitchCore

/// Standard output or standard error: buffered here, flushed at exit, when large, and before
/// a prompt or a child process writes to the same terminal.
final class StandardStream: ByteSink {
    nonisolated(unsafe) static let out = StandardStream(descriptor: 1)
    nonisolated(unsafe) static let err = StandardStream(descriptor: 2)

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(descriptor: Int32) { self.descriptor = descriptor }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Bytes written as they are (`show deploy` prints scripts in any encoding).
    func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Standard input, for prompts.
final class StandardInput: InputSource {
    /// Bytes read from descriptor 0 but not yet returned.
    private var buffer: [UInt8] = []
    private var ended = false

    var isInteractive: Bool {
        guard isatty(0) != 0 else { return false }
        if isatty(1) != 0 { return true }
        // Output to a pipe still counts; to a file or a device it does not.
        var info = stat()
        guard fstat(1, &info) == 0 else { return true }
        let type = info.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFCHR
    }

    var isAtEnd: Bool {
        if buffer.isEmpty { fill() }
        return buffer.isEmpty
    }

    func readLine() -> String? {
        while !buffer.contains(UInt8(ascii: "\n")) && !ended { fill() }
        if buffer.isEmpty { return nil }
        let end = buffer.firstIndex(of: UInt8(ascii: "\n"))
        let line = buffer[..<(end ?? buffer.endIndex)]
        buffer.removeFirst(end.map { $0 + 1 } ?? buffer.count)
        return String(decoding: line, as: UTF8.self)
    }

    /// Reads what is available (waiting if nothing is), after showing any pending output.
    private func fill() {
        guard !ended else { return }
        StandardStream.out.flush()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n > 0 { buffer += chunk[0..<n]; return }
            if n < 0 && errno == EINTR { continue }
            ended = true
            return
        }
    }
}
