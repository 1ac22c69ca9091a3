namespace KanCompile;

/// <summary>What a fit reports after each step.</summary>
/// <param name="Step">Steps completed so far (1-based).</param>
/// <param name="TotalSteps">Steps requested.</param>
/// <param name="TrainRmse">Root-mean-square error on the training batch (pykan's <c>train_loss</c>).</param>
/// <param name="TestRmse">Root-mean-square error on the test batch (pykan's <c>test_loss</c>).</param>
/// <param name="Regularization">The regulariser's value, unweighted by lambda (pykan's <c>reg</c>).</param>
/// <param name="Elapsed">Time since the fit started.</param>
public readonly record struct FitProgress(int Step, int TotalSteps, double TrainRmse, double TestRmse, double Regularization, TimeSpan Elapsed);
