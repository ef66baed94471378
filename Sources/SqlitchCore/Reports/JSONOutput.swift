import FoundationEssentials

/// Machine-readable output (`--format json`, `--json`): sqlitch's addition to Sqitch's text.
/// Each document carries `format_version`; its fields are described in docs/JSON.md and in
/// the JSON Schema docs/sqlitch-output.schema.json. Keys are snake_case, timestamps ISO 8601
/// in UTC, and the text output is never affected.
public enum JSONOutput {
    /// Raised when a field is added (readers ignore unknown fields) or changed (readers check).
    public static let formatVersion = 1

    /// Whether a command line asks for JSON (`--json`, `--format json`, `--format=json`), so
    /// that even a usage or configuration error is reported as JSON.
    public static func requested(in arguments: [String]) -> Bool {
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { return false }
            if argument == "--json" || argument == "--format=json" { return true }
            if argument == "--format", index + 1 < arguments.count, arguments[index + 1] == "json" { return true }
        }
        return false
    }

    /// One line of compact JSON, keys sorted.
    public static func line<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // The values are plain strings, numbers, booleans, arrays and objects: encoding
        // cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// `2026-12-07T02:01:21Z`: ISO 8601 in UTC, whole seconds, as the plan writes times.
    public static func timestamp(_ date: Date) -> String { PlanText.rawTimestamp(date) }

    /// The `--format` value of a command whose text has no formats of its own (`status`):
    /// `text` or `json`.
    static func isJSON(format: String?, json: Bool, command: String) throws -> Bool {
        if json { return true }
        switch format {
        case nil, "text": return false
        case "json": return true
        case let other?: throw CommandError("Unknown \(command) format \"\(other)\"")
        }
    }

    // MARK: Documents

    /// An error, on standard error: the message the text mode prints and the exit code.
    public struct ErrorDocument: Encodable {
        public struct Failure: Encodable {
            public var message: String
            public var exitCode: Int32
        }
        public var formatVersion = JSONOutput.formatVersion
        public var error: Failure

        public init(message: String, exitCode: Int32) {
            error = Failure(message: message, exitCode: exitCode)
        }
    }

    /// A change recorded in the registry (`status`'s current change and `--show-changes`,
    /// whose entries have no `note` and `tags`, as Sqitch's `current_changes` reads none).
    struct DeployedChangeDocument: Encodable {
        var changeId: String
        var change: String
        var project: String
        var note: String?
        var tags: [String]?
        var committedAt: String?
        var committerName: String?
        var committerEmail: String?
        var plannedAt: String
        var plannerName: String
        var plannerEmail: String

        init(_ change: DeployedChange, withNoteAndTags: Bool = true) {
            changeId = change.id
            self.change = change.name
            project = change.project
            note = withNoteAndTags ? change.note : nil
            tags = withNoteAndTags ? change.tags : nil
            committedAt = change.committedAt.map(JSONOutput.timestamp)
            committerName = change.committerName
            committerEmail = change.committerEmail
            plannedAt = JSONOutput.timestamp(change.plannedAt)
            plannerName = change.plannerName
            plannerEmail = change.plannerEmail
        }
    }

    /// A tag recorded in the registry (`status --show-tags`).
    struct DeployedTagDocument: Encodable {
        var tagId: String
        var tag: String
        var committedAt: String
        var committerName: String
        var committerEmail: String
        var plannedAt: String
        var plannerName: String
        var plannerEmail: String

        init(_ tag: DeployedTag) {
            tagId = tag.id
            self.tag = tag.name
            committedAt = JSONOutput.timestamp(tag.committedAt)
            committerName = tag.committerName
            committerEmail = tag.committerEmail
            plannedAt = JSONOutput.timestamp(tag.plannedAt)
            plannerName = tag.plannerName
            plannerEmail = tag.plannerEmail
        }
    }

    /// A change of the plan (`plan`, and `status`'s undeployed changes).
    struct PlanChangeDocument: Encodable {
        struct TagDocument: Encodable {
            var tagId: String
            var tag: String
            var note: String
            var plannedAt: String
            var plannerName: String
            var plannerEmail: String
        }
        var changeId: String
        var change: String
        /// `+` deploy, `-` revert (Sqitch's plan operators; `+` when none is written).
        var operation: String
        var note: String
        var requires: [String]
        var conflicts: [String]
        var tags: [TagDocument]
        var plannedAt: String
        var plannerName: String
        var plannerEmail: String

        init(_ change: Change) {
            changeId = change.id
            self.change = change.name
            operation = change.operator == "-" ? "-" : "+"
            note = change.note
            requires = change.requires.map { $0.asString(planProject: change.project) }
            conflicts = change.conflicts.map { $0.asString(planProject: change.project) }
            tags = change.tags.map {
                TagDocument(tagId: $0.id, tag: $0.formatName, note: $0.note, plannedAt: JSONOutput.timestamp($0.timestamp),
                            plannerName: $0.plannerName, plannerEmail: $0.plannerEmail)
            }
            plannedAt = JSONOutput.timestamp(change.timestamp)
            plannerName = change.plannerName
            plannerEmail = change.plannerEmail
        }
    }

    /// `status --format json`.
    struct StatusDocument: Encodable {
        var formatVersion = JSONOutput.formatVersion
        var command = "status"
        /// The target's database (`On database ...`).
        var database: String
        var project: String
        var current: DeployedChangeDocument
        /// With `--show-changes` only.
        var changes: [DeployedChangeDocument]?
        /// With `--show-tags` only.
        var tags: [DeployedTagDocument]?
        /// False when the plan is not this project's (`Status unknown`): `undeployed` is then absent.
        var planKnown: Bool
        var upToDate: Bool?
        var undeployed: [PlanChangeDocument]?
    }

    /// One line of `log --format json` (JSON Lines: one event per line, as the text orders them).
    struct EventDocument: Encodable {
        var formatVersion = JSONOutput.formatVersion
        var event: String
        var changeId: String
        var change: String
        var project: String
        var note: String
        var requires: [String]
        var conflicts: [String]
        var tags: [String]
        var committedAt: String
        var committerName: String
        var committerEmail: String
        var plannedAt: String
        var plannerName: String
        var plannerEmail: String

        init(_ event: RegistryEvent) {
            self.event = event.event
            changeId = event.changeID
            change = event.change
            project = event.project
            note = event.note
            // SQLite and MySQL keep the lists as comma-separated text (PostgreSQL as arrays):
            // one dependency per element on every engine.
            func split(_ items: [String]) -> [String] {
                items.flatMap { $0.split(separator: ",") }.map { $0.trimming(.whitespaces) }
                    .filter { !$0.isEmpty }
            }
            requires = split(event.requires)
            conflicts = split(event.conflicts)
            tags = split(event.tags)
            committedAt = JSONOutput.timestamp(event.committedAt)
            committerName = event.committerName
            committerEmail = event.committerEmail
            plannedAt = JSONOutput.timestamp(event.plannedAt)
            plannerName = event.plannerName
            plannerEmail = event.plannerEmail
        }
    }

    /// `deploy --dry-run --format json`, `revert --dry-run --format json`.
    struct DryRunDocument: Encodable {
        struct StepDocument: Encodable {
            var operation: String
            var changeId: String
            var change: String
            var tags: [String]
            var script: String
            var scriptExists: Bool
            var command: [String]
            var variables: [String: String]
            var requires: [String]
            var conflicts: [String]
            var verify: VerifyDocument?
            var failsWith: String?
        }
        struct VerifyDocument: Encodable {
            var script: String
            var scriptExists: Bool
            var command: [String]
        }
        var formatVersion = JSONOutput.formatVersion
        var command: String
        var dryRun = true
        var database: String
        var registry: String
        var registryExists: Bool
        var createsRegistry: Bool
        var upgradesRegistry: Bool
        var nothingToDo: String?
        var mode: String?
        var onFailure: String?
        var registersProject: Bool
        var recordsTags: [String]
        var refreshesScriptHashes: Bool
        var logOnly: Bool
        var createsDatabase: String?
        var asks: String?
        var steps: [StepDocument]

        init(_ preview: DryRunPreview) {
            command = preview.command
            database = preview.database
            registry = preview.registry
            registryExists = preview.registryExists
            createsRegistry = preview.createsRegistry
            upgradesRegistry = preview.upgradesRegistry
            nothingToDo = preview.nothingToDo
            mode = preview.mode?.rawValue
            onFailure = preview.onFailure
            registersProject = preview.registersProject
            recordsTags = preview.recordsTags
            refreshesScriptHashes = preview.refreshesScriptHashes
            logOnly = preview.logOnly
            createsDatabase = preview.createsDatabase
            asks = preview.question
            steps = preview.steps.map { step in
                StepDocument(
                    operation: step.operation, changeId: step.changeID, change: step.change, tags: step.tags,
                    script: step.script, scriptExists: step.scriptExists, command: step.command,
                    variables: Dictionary(step.variables.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                    requires: step.requires, conflicts: step.conflicts,
                    verify: step.verify.map {
                        VerifyDocument(script: $0.script, scriptExists: $0.scriptExists, command: $0.command)
                    },
                    failsWith: step.failure)
            }
        }
    }

    /// `rebase --dry-run --format json`, `checkout --dry-run --format json`.
    struct RevertDeployDocument: Encodable {
        var formatVersion = JSONOutput.formatVersion
        var command: String
        var dryRun = true
        var lastCommonChange: String?
        var checkout: [String]?
        var revert: DryRunDocument
        var deploy: DryRunDocument?

        init(_ preview: RevertDeployPreview) {
            command = preview.command
            lastCommonChange = preview.lastCommonChange
            // The switch happens only after the revert went through.
            checkout = preview.revert.failure == nil ? preview.checkout : nil
            revert = DryRunDocument(preview.revert)
            deploy = preview.deploy.map(DryRunDocument.init)
        }
    }

    /// `verify --format json`, `check --format json`.
    struct VerifyDocument: Encodable {
        struct ChangeRef: Encodable {
            var change: String
            var changeId: String
            var tags: [String]
        }
        struct ItemDocument: Encodable {
            var change: String
            var changeId: String
            var tags: [String]
            var result: String
            var deployed: Bool
            var verified: Bool
            var problems: [String]
            var warnings: [String]
        }
        var formatVersion = JSONOutput.formatVersion
        var command: String
        var database: String
        /// `successful`, `failed`, or `nothing` (then `message` says why).
        var result: String
        var message: String?
        /// `verify`: each change, in the order the text lists them.
        var changes: [ItemDocument]?
        /// `verify` without `--to`: planned changes after the deployed ones.
        var undeployed: [ChangeRef]?
        /// `check`: the first deployed change whose deploy script changed.
        var divergesAt: ChangeRef?
        var errors: Int

        init(command: String, _ report: VerifyReport) {
            self.command = command
            database = report.database
            result = report.message != nil ? "nothing" : report.successful ? "successful" : "failed"
            message = report.message
            errors = report.errors
            if command == "verify" {
                changes = report.changes.map {
                    ItemDocument(change: $0.change, changeId: $0.changeID, tags: $0.tags,
                                 result: $0.problems.isEmpty ? "ok" : "not ok", deployed: $0.deployed,
                                 verified: $0.verified, problems: $0.problems, warnings: $0.warnings)
                }
                undeployed = report.undeployed.map { ChangeRef(change: $0.change, changeId: $0.changeID, tags: $0.tags) }
            } else {
                divergesAt = report.divergesAt.map { ChangeRef(change: $0.change, changeId: $0.changeID, tags: $0.tags) }
            }
        }
    }

    /// `show --format json`: a change, a tag, or one of a change's scripts.
    struct ShowDocument: Encodable {
        struct TagDocument: Encodable {
            var tagId: String
            var tag: String
            var changeId: String
            var change: String?
            var note: String
            var plannedAt: String
            var plannerName: String
            var plannerEmail: String
        }
        struct ScriptDocument: Encodable {
            var path: String
            /// The file's bytes as UTF-8 text; `utf8` false when they are not UTF-8 (then
            /// invalid bytes read as U+FFFD here, and `content_base64` is exact).
            var content: String
            var utf8: Bool
            var contentBase64: String
        }
        var formatVersion = JSONOutput.formatVersion
        var command = "show"
        /// `change`, `tag`, `deploy`, `revert` or `verify`.
        var type: String
        var project: String
        var uri: String?
        /// The change (for `tag`, the tagged change's ID and name are in `tag`).
        var change: PlanChangeDocument?
        /// The previous change's ID, as `show change` prints it.
        var parentId: String?
        var tag: TagDocument?
        var script: ScriptDocument?

        init(change: Change) {
            type = "change"
            project = change.project
            uri = change.uri
            self.change = PlanChangeDocument(change)
            parentId = change.parentID
        }

        init(tag: Tag, change: Change?) {
            type = "tag"
            project = tag.project
            uri = tag.uri
            self.tag = TagDocument(tagId: tag.id, tag: tag.formatName, changeId: tag.changeID, change: change?.name,
                                   note: tag.note, plannedAt: JSONOutput.timestamp(tag.timestamp),
                                   plannerName: tag.plannerName, plannerEmail: tag.plannerEmail)
        }

        init(script type: String, path: String, bytes: [UInt8], change: Change) {
            self.type = type
            project = change.project
            uri = change.uri
            self.change = PlanChangeDocument(change)
            parentId = change.parentID
            let text = String(validating: bytes, as: UTF8.self)
            script = ScriptDocument(path: path, content: text ?? String(decoding: bytes, as: UTF8.self), utf8: text != nil,
                                    contentBase64: Data(bytes).base64EncodedString())
        }
    }

    /// `--format` and `--json` of `target` and `engine`.
    static func listingSpecs<Options>(format: WritableKeyPath<Options, String?>, json: WritableKeyPath<Options, Bool>)
        -> [OptionSpec<Options>] {
        [.text("--format", format, "<format>", "text (the default) or json, for list and show"),
         .flag("--json", json, "same as --format json")]
    }

    /// One target or engine of `target --format json` or `engine --format json`.
    public struct ConfigItem: Encodable {
        public struct Directories: Encodable {
            public struct Reworked: Encodable {
                var dir: String
                var deploy: String
                var revert: String
                var verify: String
            }
            var deploy: String
            var revert: String
            var verify: String
            var reworked: Reworked
        }
        var name: String
        var uri: String
        var target: String?
        var registry: String?
        var client: String?
        var topDir: String?
        var planFile: String?
        var `extension`: String?
        var scriptDirs: Directories?
        var variables: [String: String]?
    }

    /// `target --format json`, `engine --format json`.
    struct ConfigListingDocument: Encodable {
        var formatVersion = JSONOutput.formatVersion
        var command: String
        var items: [ConfigItem]
    }

    /// `plan --format json`.
    struct PlanDocument: Encodable {
        var formatVersion = JSONOutput.formatVersion
        var command = "plan"
        var project: String
        var uri: String?
        var file: String
        var changes: [PlanChangeDocument]
    }
}
