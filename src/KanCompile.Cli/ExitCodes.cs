namespace KanCompile.Cli;

/// <summary>The process exit codes of <c>kan</c>, so scripts can tell a typo from bad data.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The work failed: a missing, unreadable or malformed data or model file, a failed write, or training that could not go on.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: unknown option, bad value, options that contradict each other.</summary>
    public const int UsageError = 2;

    /// <summary>The command or option exists but this build does not include the feature yet.</summary>
    public const int NotAvailable = 3;

    /// <summary>Interrupted (Ctrl+C): the work done so far was kept (a fit saves and reports its best model).</summary>
    public const int Interrupted = 130;

    /// <summary>A defect in kan itself (an exception no user input should cause); please report it.</summary>
    public const int InternalError = 70;
}
