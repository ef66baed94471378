import ArgumentParser
import Foundation
import SqlitchCore

/// `plan`: lists the changes of a target's plan.
struct PlanCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "plan", helpNames: [])

    @Option(name: [.customLong("target"), .customShort("t")], parsing: .unconditional) var target: String?
    @Option(name: .customLong("event"), parsing: .unconditional) var event: String?
    @Option(name: [.customLong("change-pattern"), .customLong("change")], parsing: .unconditional) var changePattern: String?
    @Option(name: [.customLong("planner-pattern"), .customLong("planner")], parsing: .unconditional) var plannerPattern: String?
    @Option(name: [.customLong("format"), .customShort("f")], parsing: .unconditional) var format: String?
    @Option(name: [.customLong("date-format"), .customLong("date")], parsing: .unconditional) var dateFormat: String?
    @Option(name: .customLong("max-count"), parsing: .unconditional) var maxCount: String?
    @Option(name: .customShort("n"), parsing: .unconditional) var maxCountShort: String?
    @Option(name: .customLong("skip"), parsing: .unconditional) var skip: String?
    @Flag(name: .customLong("reverse"), inversion: .prefixedNo) var reverse: Bool?
    @Option(name: .customLong("color"), parsing: .unconditional) var color: String?
    @Flag(name: .customLong("no-color")) var noColor = false
    @Option(name: .customLong("abbrev"), parsing: .unconditional) var abbrev: String?
    @Flag(name: .customLong("oneline")) var oneline = false
    @Flag(name: .customLong("headers"), inversion: .prefixedNo) var headers: Bool?

    @Argument var arguments: [String] = []

    /// Getopt::Long's `=i`: an optional sign and digits, else its message and the usage.
    func integer(_ value: String?, option: String) throws -> Int? {
        guard let value else { return nil }
        guard let number = PlanReport.perlInt(value) else {
            throw SqitchError.usage("Value \"\(value)\" invalid for option \(option) (number expected)")
        }
        return number
    }

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        do {
            return try run(sqitch)
        } catch let error as SqitchError where error.ident == "usage" {
            sqitch.console.vent(error.message)
            sqitch.console.ventLiteral(HelpText.usage(for: "plan"))
            return 2
        }
    }

    func run(_ sqitch: Sqitch) throws -> Int32 {
        var options = PlanReport.Options()
        options.target = target
        options.event = event
        options.changePattern = changePattern
        options.plannerPattern = plannerPattern
        options.format = format
        options.dateFormat = dateFormat
        options.maxCount = try integer(maxCount, option: "max-count") ?? integer(maxCountShort, option: "n")
        options.skip = try integer(skip, option: "skip")
        options.reverse = reverse
        options.color = color
        options.noColor = noColor
        options.abbrev = try integer(abbrev, option: "abbrev")
        options.oneline = oneline
        options.headers = headers
        options.outputIsTerminal = isatty(1) != 0
        let report = try PlanReport(options: options, config: sqitch.config, environment: sqitch.environment)
        return try report.execute(sqitch, arguments: arguments)
    }
}
