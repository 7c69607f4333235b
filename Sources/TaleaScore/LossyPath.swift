#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens files whose names are not UTF-8.
///
/// Swift reads file names and command-line arguments as UTF-8 and replaces the bytes of any other
/// encoding with U+FFFD: a Latin-1 "é" (0xE9) from an old archive becomes "�", and the path no
/// longer names the file. Such a path is resolved here component by component against the bytes
/// that the folders really hold: a component with U+FFFD matches the one entry of its folder that
/// decodes to it.
public enum LossyPath {
    /// The outcome of resolving a path.
    enum Resolution: Equatable {
        /// The path's bytes on disk (without a terminating NUL).
        case found([UInt8])
        /// No entry of a folder decodes to the component.
        case missing
        /// Several entries of one folder decode to the same component (`count` of them).
        case ambiguous(component: String, count: Int)
    }

    /// True when Swift's decoding replaced bytes of `path`, so that only ``resolve(_:)`` can find it.
    public static func isLossy(_ path: String) -> Bool { path.unicodeScalars.contains("\u{FFFD}") }

    /// Finds the path on disk whose components decode (replacing bytes that are not UTF-8) to those of `path`.
    static func resolve(_ path: String) -> Resolution {
        var resolved: [UInt8] = path.hasPrefix("/") ? [UInt8(ascii: "/")] : []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            let bytes: [UInt8]
            if isLossy(String(component)) {
                let matches = entries(of: resolved.isEmpty ? Array(".".utf8) : resolved)
                    .filter { String(decoding: $0, as: UTF8.self) == component }
                guard matches.count == 1 else {
                    return matches.isEmpty ? .missing : .ambiguous(component: String(component), count: matches.count)
                }
                bytes = matches[0]
            } else {
                bytes = Array(component.utf8)
            }
            if !resolved.isEmpty, resolved.last != UInt8(ascii: "/") { resolved.append(UInt8(ascii: "/")) }
            resolved += bytes
        }
        return .found(resolved)
    }

    /// The names in a folder, as bytes (nothing when it cannot be listed).
    static func entries(of folder: [UInt8]) -> [[UInt8]] {
        guard let directory = withCString(folder, { opendir($0) }) else { return [] }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [UInt8(ascii: ".")], name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
        return names
    }

    /// What the raw path `path` names, through any symbolic links (as ``FileKind``), and its size.
    static func kind(of path: [UInt8]) -> (kind: FileKind, size: Int) {
        var status = stat()
        guard withCString(path, { stat($0, &status) }) == 0 else {
            return (errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno))), 0)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return (.regular, Int(status.st_size))
        case S_IFDIR: return (.folder, 0)
        default: return (.other, 0)
        }
    }

    /// The bytes of the regular file at the raw path `path`, at most `size` of them (its size as
    /// ``kind(of:)`` found it). Errors name the file by `displayPath`.
    static func contents(of path: [UInt8], size: Int, displayPath: String) throws -> [UInt8] {
        let descriptor = withCString(path) { open($0, O_RDONLY) }
        guard descriptor >= 0 else {
            throw ScoreError.unreadableFile(path: displayPath, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, base + filled, size - filled)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        bytes.removeLast(size - filled)
        return bytes
    }

    /// Calls `body` with `path` as a NUL-terminated C string.
    private static func withCString<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        let terminated = path.map { CChar(bitPattern: $0) } + [0]
        return terminated.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { preconditionFailure("a non-empty array has storage") }
            return body(start)
        }
    }
}
