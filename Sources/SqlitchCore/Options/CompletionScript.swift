/// The shell side of completion: a function per shell that hands the line up to the cursor to
/// `sqlitch completion --line` and offers what it prints (files when it prints nothing).
public enum CompletionScript {
    public static let shells = ["bash", "zsh", "fish"]

    /// The script for `shell`, if sqlitch has one.
    public static func script(for shell: String) -> String? {
        switch shell {
        case "bash": return bash
        case "zsh": return zsh
        case "fish": return fish
        default: return nil
        }
    }

    static let bash = #"""
    # bash completion for sqlitch. Load it with
    #   eval "$(sqlitch completion bash)"
    # or save it as ~/.local/share/bash-completion/completions/sqlitch
    _sqlitch() {
        local line=${COMP_LINE:0:COMP_POINT} cur=${COMP_WORDS[COMP_CWORD]}
        local program=${COMP_WORDS[0]} candidate
        [[ $program == "~/"* ]] && program=$HOME/${program#"~/"}
        local -a candidates
        mapfile -t candidates < <("$program" completion --line "$line" 2>/dev/null)
        # bash also splits words at "=" and ":" (COMP_WORDBREAKS): the candidates are whole
        # words, so drop the part of the word that bash keeps.
        local word=${line##*[[:space:]]}
        local keep=${word%"$cur"}
        COMPREPLY=()
        for candidate in "${candidates[@]}"; do
            candidate=${candidate#"$keep"}
            COMPREPLY+=("${candidate// /\\ }")
        done
    }
    complete -o default -F _sqlitch sqlitch

    """#

    static let zsh = #"""
    #compdef sqlitch
    # zsh completion for sqlitch. Save it as _sqlitch in a directory of $fpath, or load it
    # after compinit with
    #   source <(sqlitch completion zsh)
    _sqlitch() {
        local line="${(j: :)words[1,CURRENT-1]} ${words[CURRENT]}"
        local -a candidates
        candidates=("${(@f)$(${words[1]} completion --line "$line" 2>/dev/null)}")
        candidates=(${candidates:#})
        if (( ${#candidates} )); then
            compadd -- "${candidates[@]}"
        else
            _files
        fi
    }
    if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
        _sqlitch "$@"
    else
        compdef _sqlitch sqlitch
    fi

    """#

    static let fish = #"""
    # fish completion for sqlitch. Save it as ~/.config/fish/completions/sqlitch.fish, or load
    # it with
    #   sqlitch completion fish | source
    function __sqlitch_complete
        set -l program (commandline -opc)[1]
        set -l candidates ($program completion --line (commandline -cp) 2>/dev/null)
        if test (count $candidates) -eq 0
            __fish_complete_path (commandline -ct)
        else
            printf '%s\n' $candidates
        end
    end
    complete -c sqlitch -f -a '(__sqlitch_complete)'

    """#
}

/// The options of `completion`, sqlitch's own command (Sqitch has none).
public struct CompletionOptions: CommandOptionSet {
    /// `--line`: the command line up to the cursor, to complete.
    public var line: String?
    public init() {}

    public static var grammar: CommandGrammar<CompletionOptions> {
        CommandGrammar([
            .text("--line", \.line, "<text>", "print what may follow this command line, a word a line"),
        ])
    }

    /// `completion bash|zsh|fish` prints the script; `completion --line ...` the candidates.
    func run(_ arguments: [String], _ sqitch: Sqitch) throws -> Int32 {
        if let line {
            for candidate in Completer().candidates(line: line, sqitch: sqitch) { sqitch.console.emit(candidate) }
            return 0
        }
        guard arguments.count == 1, let script = CompletionScript.script(for: arguments[0]) else {
            throw UsageError(arguments.isEmpty ? "" : "Unknown shell \"\(arguments[0])\"")
        }
        sqitch.console.emitLiteral(script)
        return 0
    }
}
