import Testing
@testable import SqlitchCore
import SqlitchTestSupport

/// The pieces `init`, `engine` and `target` share: option checking, GitLike's
/// `group_set`/`add_comment`, and the script directories to create.
@Suite struct TargetConfigTests {
    @Test func propertiesTidyPathsAndKeepLastVariable() throws {
        var options = TargetConfigOptions()
        options.planFile = "./db//my.plan"
        options.topDir = "./db/"
        options.dirs = ["deploy=./d/", "reworked=old//"]
        options.variables = ["a=1", "b=x=y", "a=2", "flag"]
        let props = try options.properties(command: "target")
        #expect(props.planFile == "db/my.plan")
        #expect(props.topDir == "db")
        #expect(props.dirs == ["deploy": "d", "reworked": "old"])
        #expect(props.variables.map { "\($0.key)=\($0.value)" } == ["a=2", "b=x=y", "flag="])
        #expect(props.configParams("target.t").map { "\($0.key)=\($0.value)" } == [
            "target.t.plan_file=db/my.plan", "target.t.top_dir=db", "target.t.deploy_dir=d",
            "target.t.reworked_dir=old", "target.t.variables.a=2", "target.t.variables.b=x=y",
            "target.t.variables.flag=",
        ])
    }

    @Test(arguments: [("./p.plan", "p.plan"), ("p.plan", "p.plan"), ("/x/./y.plan", "/x/y.plan"),
                      ("/p.plan", "/p.plan"), ("a/./b//c.plan", "a/b/c.plan")])
    func planFileCleanup(_ given: String, _ expected: String) {
        #expect(TargetConfigOptions.cleanFile(given) == expected)
    }

    @Test func unknownDirectoryAndEngine() {
        var options = TargetConfigOptions()
        options.dirs = ["zed=1", "alpha=2", "zed=3"]
        #expect(throws: CommandError("Unknown directory names: alpha, zed")) {
            try options.properties(command: "engine")
        }
        options.dirs = []
        options.engine = "oracle8"
        #expect(throws: CommandError("Unknown engine \"oracle8\"")) { try options.properties(command: "init") }
    }

    @Test func groupSetAndAddComment() throws {
        let dir = try TemporaryDirectory()
        let writer = ConfigWriter(path: "sqitch.conf", files: FileSystem(workingDirectory: dir.path))
        try writer.groupSet([(key: "core.engine", value: "pg"), (key: "core.variables.x", value: "1"),
                             (key: "core.top_dir", value: "db")])
        try writer.addComment("\tplan_file = sqitch.plan\n[engine \"pg\"]\n\ttarget = db:pg:", indented: true)
        try writer.addComment("plain", indented: false)
        #expect(dir.read("sqitch.conf") == """
            [core]
            \tengine = pg
            \ttop_dir = db
            [core "variables"]
            \tx = 1
            \t# plan_file = sqitch.plan
            # [engine "pg"]
            \t# target = db:pg:
            # plain

            """)
    }

    @Test func directoriesPreferOptions() throws {
        let context = try TestContext()
        try context.directory.write("sqitch.conf", "[core]\n\tengine = pg\n\tdeploy_dir = cd\n")
        var props = TargetProperties()
        props.dirs = ["verify": "v", "reworked_revert": "rr"]
        let command = TargetConfigCommand(sqitch: try context.sqitch(), command: "engine", properties: props)
        let target = try command.configTarget(engine: "pg")
        // 1.6: reworked scripts of a configured deploy_dir go under <reworked_dir>/<deploy_dir>.
        #expect(command.directories(for: [target]) == ["cd", "revert", "v", "rr", "verify"])
        props.topDir = "t"
        let withTop = TargetConfigCommand(sqitch: try context.sqitch(), command: "engine", properties: props)
        #expect(withTop.directories(for: [target]) == ["t/deploy", "t/revert", "t/verify", "rr"])
    }
}
