import Foundation
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
                Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
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
    var isInteractive: Bool { isatty(0) != 0 }
    func readLine() -> String? {
        StandardStream.out.flush()
        return Swift.readLine(strippingNewline: true)
    }
}
