import Foundation

/// File access relative to the command's working directory (Sqitch's current directory after
/// `--chdir`), so the domain never depends on the process's own current directory.
/// Every write goes to a temporary file in the same directory and is renamed into place.
public struct FileSystem: Sendable {
    /// Absolute path of the working directory.
    public let workingDirectory: String

    public init(workingDirectory: String) {
        self.workingDirectory = workingDirectory
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
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: absolute(path), isDirectory: &isDir) && !isDir.boolValue
    }

    public func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: absolute(path), isDirectory: &isDir) && isDir.boolValue
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

    /// Writes `data` to a temporary sibling file and renames it over `path`.
    public func writeAtomically(_ path: String, _ data: Data) throws {
        let target = absolute(path)
        let dir = (target as NSString).deletingLastPathComponent
        let temp = dir + "/." + (target as NSString).lastPathComponent + ".sqlitch-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try data.write(to: URL(fileURLWithPath: temp))
            if rename(temp, target) != 0 {
                let code = errno
                try? FileManager.default.removeItem(atPath: temp)
                throw IOError("Cannot write \(path): \(String(cString: strerror(code)))")
            }
        } catch let error as IOError {
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw IOError("Cannot write \(path): \(FileSystem.reason(error))")
        }
    }

    public func writeText(_ path: String, _ text: String) throws {
        try writeAtomically(path, Data(text.utf8))
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

    static func reason(_ error: Error) -> String {
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
    }
}
