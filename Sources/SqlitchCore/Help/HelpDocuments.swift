/// sqlitch's own help text: the command list, the manual, and each command's usage and
/// documentation, written for sqlitch (not Sqitch's pod).
public enum HelpDocuments {
    /// The commands and a line on each, shown by `--help` and after an unknown command.
    public static let commandList = """
    Usage
      sqlitch [options] <command> [command-options] [args]

    Common Commands
      The most commonly used sqlitch commands are:

      add        Add a new change to the plan
      bundle     Bundle a project for distribution
      check      Check for database changes
      checkout   Revert, checkout another VCS branch, and re-deploy changes
      config     Get and set local, user, or system options
      deploy     Deploy changes to a database
      engine     Manage database engine configuration
      help       Display help information about sqlitch
      init       Initialize a project
      log        Show registry change history
      plan       Show the contents of a plan
      rebase     Revert and redeploy database changes
      revert     Revert changes from a database
      rework     Duplicate a change in the plan and revise its scripts
      show       Show information about changes and tags, or change script contents
      status     Show the current deployment status of a database
      tag        Add or list tags in the plan
      target     Manage target database configuration
      upgrade    Upgrade the registry to the current version
      verify     Verify changes to a database

      See "sqlitch help <command>" for more information on a command.
    """

    /// The long manual shown by `--man`.
    public static let manual = commandList

    /// The usage block printed after a command-line error in `command`.
    public static func usage(for command: String) -> String {
        "Usage:\n      sqlitch \(command) [options]\n\n"
    }
}
