/// The version of vejamigrate, printed by `--version` on both executables and in the man pages.
///
/// Semantic versioning over the public interface (docs/cli.md): bump the minor number when a
/// command, flag or JSON field is added, the patch number for a fix, the major number only for a
/// change that breaks the contract. docs/setup.md ("Versions") says how a release is cut.
public enum VejaMigrateVersion {
    public static let current = "0.11.0"
}
