namespace KanCompile;

/// <summary>The training or the test part of a dataset.</summary>
public enum KanDataSplit
{
    /// <summary>The training samples.</summary>
    Train,

    /// <summary>The held-out test samples.</summary>
    Test,
}
