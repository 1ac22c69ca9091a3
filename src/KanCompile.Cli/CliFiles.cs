namespace KanCompile.Cli;

/// <summary>File checks that give the one-line message the tool promises instead of a framework exception.</summary>
internal static class CliFiles
{
    /// <summary>Throws unless <paramref name="path"/> is an existing file.</summary>
    /// <param name="path">The path as the user typed it.</param>
    /// <param name="role">What the file is for, e.g. "data file".</param>
    public static void RequireExisting(string path, string role)
    {
        if (Directory.Exists(path))
        {
            throw new KanCliException($"{path}: is a directory; expected a {role}.", ExitCodes.Failure);
        }

        if (!File.Exists(path))
        {
            throw new KanCliException($"{path}: {role} not found.", ExitCodes.Failure);
        }
    }
}
