import ArgumentParser

/// Turns an ArgumentParser failure into Sqitch's wording (`Unknown option: foo`).
enum UsageError {
    static func message(for error: Error, command: any ParsableCommand.Type) -> String {
        let text = command.message(for: error)
        // ArgumentParser: "Unknown option '--foo'"; Getopt::Long: "Unknown option: foo".
        if let range = text.range(of: "Unknown option '") {
            let rest = text[range.upperBound...]
            let name = rest.prefix { $0 != "'" }.drop { $0 == "-" }
            return "Unknown option: \(name)"
        }
        if let range = text.range(of: "Missing value for '") {
            let rest = text[range.upperBound...]
            let name = rest.prefix { $0 != "'" && $0 != " " }.drop { $0 == "-" }
            return "Option \(name) requires an argument"
        }
        return text
    }
}
