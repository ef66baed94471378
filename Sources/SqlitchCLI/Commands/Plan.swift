import ArgumentParser
import Foundation
import SqlitchCore

/// `plan`: lists the changes of a target's plan.
struct PlanCommand: SqitchCommand {
    static let configuration = CommandConfiguration(commandName: "plan", helpNames: [])

    @Option(name: [.customLong("target"), .customShort("t")]) var target: String?
    @Option(name: .customLong("event")) var event: String?
    @Option(name: [.customLong("change-pattern"), .customLong("change")]) var changePattern: String?
    @Option(name: [.customLong("planner-pattern"), .customLong("planner")]) var plannerPattern: String?
    @Option(name: [.customLong("format"), .customShort("f")]) var format: String?
    @Option(name: [.customLong("date-format"), .customLong("date")]) var dateFormat: String?
    @Option(name: [.customLong("max-count"), .customShort("n")]) var maxCount: Int?
    @Option(name: .customLong("skip")) var skip: Int?
    @Flag(name: .customLong("reverse"), inversion: .prefixedNo) var reverse: Bool?
    @Option(name: .customLong("color")) var color: String?
    @Flag(name: .customLong("no-color")) var noColor = false
    @Option(name: .customLong("abbrev")) var abbrev: Int?
    @Flag(name: .customLong("oneline")) var oneline = false
    @Flag(name: .customLong("headers"), inversion: .prefixedNo) var headers: Bool?

    @Argument var arguments: [String] = []

    func execute(_ sqitch: Sqitch) throws -> Int32 {
        var options = PlanReport.Options()
        options.target = target
        options.event = event
        options.changePattern = changePattern
        options.plannerPattern = plannerPattern
        options.format = format
        options.dateFormat = dateFormat
        options.maxCount = maxCount
        options.skip = skip
        options.reverse = reverse
        options.color = color
        options.noColor = noColor
        options.abbrev = abbrev
        options.oneline = oneline
        options.headers = headers
        options.outputIsTerminal = isatty(1) != 0
        let report = try PlanReport(options: options, config: sqitch.config, environment: sqitch.environment)
        return try report.execute(sqitch, arguments: arguments)
    }
}
