namespace KanCompile;

/// <summary>A model file could not be read or written: the message names the file and what is wrong with it.</summary>
public sealed class KanModelFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="filePath"/> (or a stream when null).</summary>
    public KanModelFileException(string? filePath, string problem, Exception? innerException = null)
        : base($"{(filePath is null ? "Model stream" : $"Model file '{filePath}'")}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file concerned, or null when reading or writing a stream.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
