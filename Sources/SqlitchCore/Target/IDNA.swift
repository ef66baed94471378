import FoundationEssentials

/// The IDNA (punycode) form Perl's URI module gives the host of a server URI (`http:`,
/// `https:`, the database schemes of `db:` URIs...) when it holds characters a host may not:
/// each non-ASCII label lower-cased and encoded as `xn--<punycode>`; a host it cannot encode
/// (an empty or too long label) is left for percent-escaping, as URI.pm leaves it.
enum IDNA {
    /// The schemes whose URI.pm classes are server URIs (`URI::_server` and its subclasses).
    static let serverSchemes: Set<String> = [
        "cassandra", "cockroach", "cockroachdb", "couch", "couchdb", "cubrid", "db2", "derby", "exasol", "firebird",
        "ftp", "gopher", "hive", "http", "https", "impala", "informix", "ingres", "interbase", "ldap", "ldapdb",
        "ldaps", "maria", "mariadb", "max", "maxdb", "mms", "monet", "monetdb", "mongo", "mongodb", "mssql", "mysql",
        "news", "nntp", "nntps", "oracle", "pg", "pgsql", "pgxc", "pop", "postgres", "postgresql", "postgresxc",
        "redshift", "rlogin", "rsync", "rtsp", "rtspu", "sftp", "sip", "sips", "snews", "snowflake", "sqlite",
        "sqlite3", "sqlserver", "ssh", "sybase", "telnet", "teradata", "tn3270", "unify", "vertica", "yugabyte",
        "yugabytedb",
    ]

    /// Characters a host may hold unescaped (URI.pm's `uric4host`).
    private static let hostCharacters = Set((DatabaseURI.uric + "[]").unicodeScalars)

    /// `uri` with the host of its authority in IDNA form, when its scheme is a server scheme
    /// and the host needs it; otherwise `uri` unchanged.
    static func encodeHost(in uri: String) -> String {
        guard let colon = uri.firstIndex(of: ":"), serverSchemes.contains(uri[..<colon].lowercased()),
              let range = DatabaseURI.hostRange(in: uri) else { return uri }
        let host = String(uri[range])
        guard host.unicodeScalars.contains(where: { !hostCharacters.contains($0) }),
              let encoded = encode(host) else { return uri }
        return String(uri[..<range.lowerBound]) + encoded + String(uri[range.upperBound...])
    }

    /// URI::_idna::encode: labels split on `.` (a final empty one kept), each non-ASCII one
    /// lower-cased and punycoded; nil where URI.pm gives up (an empty or over-long label).
    static func encode(_ host: String) -> String? {
        var labels = host.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var trailing: [String] = []
        if labels.count > 1, labels.last == "" { trailing = [labels.removeLast()] }
        var out: [String] = []
        for label in labels {
            var ascii = label
            if !label.unicodeScalars.allSatisfy(\.isASCII) {
                let lowered = label.lowercased()
                if lowered.unicodeScalars.allSatisfy(\.isASCII) {
                    ascii = lowered
                } else {
                    if lowered.hasPrefix("xn--") { return nil }
                    ascii = "xn--" + punycode(Array(lowered.unicodeScalars))
                }
            }
            guard !ascii.isEmpty, ascii.unicodeScalars.count <= 63 else { return nil }
            out.append(ascii)
        }
        return (out + trailing).joined(separator: ".")
    }

    /// RFC 3492 punycode of `input`.
    static func punycode(_ input: [Unicode.Scalar]) -> String {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        func digit(_ d: Int) -> Character {
            Character(Unicode.Scalar(UInt8(d < 26 ? 97 + d : 22 + d)))
        }
        func adapt(_ delta: Int, _ points: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / points
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + ((base - tMin + 1) * delta) / (delta + skew)
        }
        let codes = input.map { Int($0.value) }
        var output = String(String.UnicodeScalarView(input.filter(\.isASCII)))
        let basic = output.unicodeScalars.count
        var handled = basic
        if basic > 0 { output.append("-") }
        var n = 128, delta = 0, bias = 72
        while handled < codes.count {
            let m = codes.filter { $0 >= n }.min()!
            delta += (m - n) * (handled + 1)
            n = m
            for c in codes {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basic)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return output
    }
}
