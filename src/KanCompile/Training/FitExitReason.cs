namespace KanCompile;

/// <summary>Why a fit stopped.</summary>
public enum FitExitReason
{
    /// <summary>Every requested step ran.</summary>
    Completed,

    /// <summary>The cancellation token fired; the model holds the best parameters seen.</summary>
    Cancelled,

    /// <summary>The loss or its gradient became NaN or infinite; the model holds the best parameters seen.</summary>
    NonFiniteLoss,
}
