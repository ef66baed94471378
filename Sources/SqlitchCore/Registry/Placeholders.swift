/// The `?` placeholders of the shared registry SQL, rendered in each database's style.
public enum Placeholders {
    /// `sql` with the n-th `?` (1-based) outside quoted strings and identifiers replaced by
    /// `render(n)`.
    public static func render(_ sql: String, _ render: (Int) -> String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 8)
        var number = 0
        var quote: Character?
        for char in sql {
            if let open = quote {
                if char == open { quote = nil }
                out.append(char)
                continue
            }
            switch char {
            case "'", "\"", "`":
                quote = char
                out.append(char)
            case "?":
                number += 1
                out += render(number)
            default:
                out.append(char)
            }
        }
        return out
    }
}
