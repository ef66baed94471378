/// Questions to the user (Sqitch's `prompt` and `ask_yes_no`).
extension Sqitch {
    /// True when nobody can answer: input is not interactive and has nothing left to read.
    public var isUnattended: Bool { !input.isInteractive && input.isAtEnd }

    /// Prints `message` and the default in brackets on standard output (no newline), then
    /// reads one line. An empty answer or end of input gives the default (or empty text).
    /// Unattended, the default is printed as the answer and used; without a default that is
    /// an error.
    public func prompt(_ message: String, default defaultAnswer: String?? = .none) throws -> String {
        let hasDefault = defaultAnswer != nil
        let shown = defaultAnswer.map { $0 ?? "" }
        console.emitLiteral(message + " " + (shown.map { "[\($0)] " } ?? ""))
        console.flush()
        var answer: String?
        if isUnattended {
            guard hasDefault else {
                throw IOError("Sqitch seems to be unattended and there is no default value for this question")
            }
            console.emitLiteral((shown ?? "") + "\n")
        } else {
            answer = input.readLine()
        }
        if let answer, !answer.isEmpty { return answer }
        return shown ?? ""
    }

    /// Asks a yes-or-no question, the default shown as `Yes` or `No`; an answer is any
    /// case-insensitive beginning of either word. Three wrong answers are an error.
    public func askYesNo(_ message: String, default defaultAnswer: Bool? = nil) throws -> Bool {
        let yes = "Yes"
        let no = "No"
        for _ in 0..<3 {
            let answer = try defaultAnswer.map { try prompt(message, default: $0 ? yes : no) } ?? prompt(message)
            let lowered = answer.lowercased()
            if yes.lowercased().hasPrefix(lowered) { return true }
            if no.lowercased().hasPrefix(lowered) { return false }
            console.emit("Please answer \"y\" or \"n\".")
        }
        throw IOError("No valid answer after 3 attempts; aborting")
    }
}
