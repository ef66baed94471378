import Foundation
import SqlitchCore

/// Checks documents against docs/sqlitch-output.schema.json with a real JSON Schema
/// validator: the `jsonschema` library (Debian's python3-jsonschema, which
/// scripts/install-deps installs), draft 2020-12.
public enum JSONSchemaCheck {
    /// The schema file of the repository.
    public static var schemaPath: String { Fixtures.packageRoot + "/docs/sqlitch-output.schema.json" }

    private static let validator = """
        import json, sys
        from jsonschema import Draft202012Validator
        schema = json.load(open(sys.argv[1]))
        root = dict(schema)
        root["$ref"] = "#/$defs/" + sys.argv[2]
        Draft202012Validator.check_schema(root)
        validator = Draft202012Validator(root)
        lines = [line for line in sys.stdin.read().splitlines() if line.strip()]
        if not lines:
            print("no document")
        for number, line in enumerate(lines, 1):
            for error in validator.iter_errors(json.loads(line)):
                print("document %d at /%s: %s" % (number, "/".join(map(str, error.absolute_path)), error.message))
        """

    /// The validator's complaints about `documents` (one JSON document per line) as the
    /// definition `kind` of the schema (`status`, `log_event`, `plan`, `error`); empty when
    /// every document is valid. Throws when the validator cannot run at all.
    public static func problems(_ documents: String, as kind: String) throws -> [String] {
        // Debian's interpreter, where python3-jsonschema goes, before any other on the PATH.
        guard let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
            ? "/usr/bin/python3" : ParityHarness.findOnPath("python3")
        else { throw JSONSchemaCheckError(message: "python3 was not found") }
        let result = try SpawnRunner.start(
            path: python, arguments: ["-c", validator, schemaPath, kind],
            environment: ProcessInfo.processInfo.environment, directory: "/", input: documents
        ).finish()
        if result.exitStatus != 0 {
            throw JSONSchemaCheckError(message: "the JSON Schema validator failed (exit \(result.exitStatus)): "
                + result.standardError + result.standardOutput)
        }
        return result.standardOutput.split(separator: "\n").map(String.init)
    }
}

public struct JSONSchemaCheckError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
