import Foundation

/// Reading and writing comma-separated values (RFC 4180: quoted fields, doubled quotes,
/// commas and line breaks inside quotes).
public enum CSV {
    /// Splits CSV text into records of fields. A trailing line break does not make an empty record.
    public static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let d = next() {
                        if d == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = d }
                    } else { inQuotes = false }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true
            case ",": record.append(field); field = ""
            case "\r": continue
            case "\n":
                record.append(field); field = ""
                records.append(record); record = []
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }

    /// The records of a UTF-8 CSV file. When it cannot be read, the error is
    /// `unreadable(reason)`, so that each kind of file names itself.
    public static func records(at url: URL, unreadable: (String) -> any Error) throws -> [[String]] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw unreadable("no such file") }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw unreadable(error.localizedDescription)
        }
        return parse(text)
    }

    /// True for the record of an empty line (one empty field).
    public static func isBlank(_ record: [String]) -> Bool {
        record.count == 1 && record[0].isEmpty
    }

    /// Quotes a field when it holds a comma, a quote or a line break.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV line (without its line break) from fields.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",")
    }
}
