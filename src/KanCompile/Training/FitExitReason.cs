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

    /// <summary>
    /// The optimiser reached a fixed point on the full batch before the last step: its last step left every parameter
    /// unchanged and no grid update was due, so the remaining steps would have changed nothing (Levenberg–Marquardt).
    /// </summary>
    Converged,
}
