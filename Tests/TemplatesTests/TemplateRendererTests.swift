import SqlitchCore
import Testing

/// Expected texts were produced by Sqitch (Template Toolkit) on the same input.
struct TemplateRendererTests {
    @Test func builtInScriptsMatchSqitchAdd() throws {
        for engine in ["sqlite", "pg", "mysql"] {
            var vars: [String: TemplateValue] = [
                "project": "flipr", "change": "widgets", "engine": .string(engine),
                "requires": ["users", "other:x"], "conflicts": ["legacy"],
            ]
            #expect(try TemplateRenderer.render(BuiltInTemplates.deploy, variables: vars) == """
                -- Deploy flipr:widgets to \(engine)
                -- requires: users
                -- requires: other:x
                -- conflicts: legacy

                BEGIN;

                -- XXX Add DDLs here.

                COMMIT;

                """)
            #expect(try TemplateRenderer.render(BuiltInTemplates.revert, variables: vars) == """
                -- Revert flipr:widgets from \(engine)

                BEGIN;

                -- XXX Add DDLs here.

                COMMIT;

                """)
            #expect(try TemplateRenderer.render(BuiltInTemplates.verify, variables: vars) == """
                -- Verify flipr:widgets on \(engine)

                BEGIN;

                -- XXX Add verifications here.

                ROLLBACK;

                """)
            vars["change"] = "users"
            vars["requires"] = []
            vars["conflicts"] = []
            #expect(try TemplateRenderer.render(BuiltInTemplates.deploy, variables: vars) == """
                -- Deploy flipr:users to \(engine)

                BEGIN;

                -- XXX Add DDLs here.

                COMMIT;

                """)
        }
    }

    @Test func chompingConditionsAndVirtualMethods() throws {
        let template = "A\n  [%- IF conflicts %]yes[% ELSE %]no[% END -%]  \nB [% requires.size %] "
            + "[% requires.join(\", \") %] [% nope %]|[% zero %]|[% h.x %]\n[% UNLESS empty %]E[% END %]"
            + "[% IF zero %]Z[% ELSIF change %]C[% END %]\n[% FOREACH r IN requires %]<[% r %]>[% END %]"
            + " [% conflicts.size %] [% requires.first %] [% requires.last %] [% change.length %]"
        let vars: [String: TemplateValue] = [
            "requires": ["a", "b"], "conflicts": [], "change": "w", "zero": "0", "empty": "",
            "h": .map(["x": "hx"]),
        ]
        #expect(try TemplateRenderer.render(template, variables: vars) == "AyesB 2 a, b |0|hx\nEC\n<a><b> 0 a b 1")
    }

    @Test func customTemplateWithSetVariables() throws {
        let template = "[% change %] [% FOREACH v IN multi -%]\n<[% v %]>\n[% END -%]\n"
            + "single=[% single %] cfg=[% cv %] n=[% requires.size %]\n[%- IF conflicts %] C[% END %]\n"
        let vars: [String: TemplateValue] = [
            "change": "a6", "multi": ["x", "y"], "single": "s", "cv": "fromcfg", "requires": ["legacy"],
            "conflicts": [],
        ]
        #expect(try TemplateRenderer.render(template, variables: vars) == "a6 <x>\n<y>\nsingle=s cfg=fromcfg n=1 C\n")
    }

    @Test func elseBranchAndComments() throws {
        let template = "[%# a comment %][% IF missing %]yes[% ELSE %]no[% END %][% IF a == 'b' %]!"
            + "[% END %][% IF a != 'b' %]?[% END %][% IF NOT missing %]n[% END %]"
        #expect(try TemplateRenderer.render(template, variables: ["a": "b"]) == "no!n")
    }

    @Test func loopVariableIsRestored() throws {
        let template = "[% item %][% FOREACH item IN list %][% item %][% END %][% item %]"
        #expect(try TemplateRenderer.render(template, variables: ["item": "i", "list": ["1", "2"]]) == "i12i")
    }

    @Test func syntaxErrors() {
        #expect(throws: CommandError.self) { try TemplateRenderer.render("[% IF x %]y", variables: [:]) }
        #expect(throws: CommandError.self) { try TemplateRenderer.render("[% END %]", variables: [:]) }
        #expect(throws: CommandError.self) { try TemplateRenderer.render("[% x ", variables: [:]) }
    }
}
