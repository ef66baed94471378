import FoundationEssentials
import Glibc

/// File access relative to the command's working directory (Sqitch's current directory after
/// `--chdir`), so the domain never depends on the process's own current directory.
/// Every write goes to a temporary file in the same directory and is renamed into place.
public struct FileSystem: Sendable {
    /// Absolute path of the working directory.
    public let workingDirectory: String

    public init(workingDirectory: String) {
        self.workingDirectory = workingDirectory
    }

    /// The process's current directory (getcwd(3)), or "" if it cannot be read (removed, as
    /// `FileManager` said too), without making a `FileManager`.
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `path` made absolute against the working directory; absolute paths are returned as is.
    public func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.isEmpty || path == "." { return workingDirectory }
        return workingDirectory.hasSuffix("/") ? workingDirectory + path : workingDirectory + "/" + path
    }

    public func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: absolute(path))
    }

    public func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(absolute(path), &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR
    }

    public func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(absolute(path), &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The file's bytes, read with open(2) and read(2), so devices (`/dev/null`), FIFOs and
    /// process substitutions read like files.
    public func readData(_ path: String) throws -> Data {
        let fd = open(absolute(path), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOError("Cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[..<count])
            } else if count == 0 {
                return data
            } else if errno != EINTR {
                throw IOError("Cannot open \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The file's text, decoded as UTF-8 (invalid sequences are an error, as in Sqitch).
    public func readText(_ path: String) throws -> String {
        let data = try readData(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw IOError("Cannot decode \(path) as UTF-8")
        }
        return text
    }

    /// A file Sqitch opens with Perl's `:utf8_strict` layer (plans): invalid UTF-8 fails with
    /// that layer's message, naming the ill-formed bytes (`<FF>`, `<E2 82>`).
    public func readStrictText(_ path: String) throws -> String {
        let data = try readData(path)
        if let text = String(data: data, encoding: .utf8) { return text }
        let bytes = FileSystem.illFormedUTF8(Array(data)) ?? []
        let hex = bytes.map(hexDigits).joined(separator: " ")
        throw IOError("Can't decode ill-formed UTF-8 octet sequence <\(hex)>")
    }

    /// The first ill-formed sequence of `bytes`, as PerlIO::utf8_strict reports it: a byte that
    /// cannot start a sequence alone, else the valid beginning of a sequence that breaks off
    /// (or ends with the text). nil when the bytes are valid UTF-8.
    static func illFormedUTF8(_ bytes: [UInt8]) -> [UInt8]? {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; second = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; second = 0x80...0x9F
            case 0xF0: length = 4; second = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; second = 0x80...0x8F
            default: return [lead]
            }
            for j in 1..<length {
                let range = j == 1 ? second : 0x80...0xBF
                guard i + j < bytes.count, range.contains(bytes[i + j]) else { return Array(bytes[i..<(i + j)]) }
            }
            i += length
        }
        return nil
    }

    /// Writes `data` to a temporary sibling file, flushes it to disk and renames it over
    /// `path`, so that `path` holds the old text or the new, never part of either. A failure
    /// (no permission, a full disk, a file size limit) removes the temporary file and says
    /// what the system said: `Cannot open {path}: Permission denied`, as Sqitch words it, or
    /// `Cannot write {path}: No space left on device`. `cannotOpen` words the first failure
    /// from the system's reason instead (the configuration writer's, Config::GitLike's).
    public func writeAtomically(_ path: String, _ data: Data, cannotOpen: ((String) -> String)? = nil) throws {
        let target = absolute(path)
        let dir = PathText.deletingLastComponent(target)
        let temp = dir + "/." + PathText.lastComponent(target) + ".sqlitch-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw IOError(cannotOpen?(reason) ?? "Cannot open \(path): \(reason)")
        }
        func fail(_ code: Int32) -> IOError {
            unlink(temp)
            return IOError("Cannot write \(path): \(String(cString: strerror(code)))")
        }
        var code: Int32 = 0
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    code = errno
                    return
                }
                offset += n
            }
        }
        if code == 0, fsync(fd) != 0 { code = errno }
        if close(fd) != 0, code == 0 { code = errno }
        if code != 0 { throw fail(code) }
        if rename(temp, target) != 0 { throw fail(errno) }
    }

    /// Removes the file at `path`, if there is one.
    public func removeFile(_ path: String) {
        unlink(absolute(path))
    }

    public func writeText(_ path: String, _ text: String, cannotOpen: ((String) -> String)? = nil) throws {
        try writeAtomically(path, Data(text.utf8), cannotOpen: cannotOpen)
    }

    /// Creates the directory and its missing parents.
    public func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: absolute(path), withIntermediateDirectories: true)
        } catch {
            throw IOError("Error creating \(path): \(FileSystem.reason(error))")
        }
    }

    /// Names of the entries of a directory, sorted; empty when it cannot be read.
    public func contents(of path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: absolute(path))) ?? []).sorted()
    }

    /// The system's words for a file operation's failure (`Permission denied`).
    static func reason(_ error: Error) -> String {
        if let error = error as? CocoaError, let underlying = error.userInfo["NSUnderlyingError"] as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        if let error = error as? POSIXError { return String(cString: strerror(error.code.rawValue)) }
        return "\(error)"
    }
}
