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

    /// <summary>
    /// Throws unless the folder that would hold <paramref name="path"/> exists, so a typo in an output path is
    /// reported before minutes of training rather than after.
    /// </summary>
    /// <param name="path">The output file, or null when the option is absent.</param>
    /// <param name="option">The option that named it.</param>
    public static void RequireDirectoryFor(string? path, string option)
    {
        if (path is null)
        {
            return;
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "";
        if (!Directory.Exists(directory))
        {
            throw new KanCliException($"{option} {path}: the folder {directory} does not exist; create it or choose another path.", ExitCodes.Failure);
        }
    }
}
